package io.seqbench.kernels.fft;

import io.seqbench.kernels.op.DenseArrays;
import io.seqbench.kernels.op.JavaOp;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

import java.util.Arrays;
import java.util.List;

/**
 * Per-channel causal convolution by FFT: {@code y[b, t, c] = Σ_{s ≤ t} k[c, s] · u[b, t − s, c]} — the
 * convolution mode of S4 (ND4J has no FFT, so this is JTransforms inside a {@link JavaOp}).
 *
 * <p>Inputs: {@code u} (batch, length, channels) and {@code k} (channels, length), both FLOAT or both DOUBLE.
 * Output: {@code y} (batch, length, channels), the inputs' type. The arithmetic is done in double precision
 * (see {@link CausalConvolutions}); the backward pass is {@link CausalFftConvBackwardOp}.
 */
public final class CausalFftConvOp extends JavaOp {
    public static final String NAME = "seqbench_causal_fft_conv";

    public CausalFftConvOp() {
    }

    public CausalFftConvOp(SameDiff sd, SDVariable u, SDVariable k) {
        super(sd, u, k);
    }

    /** Eager form, for tests. */
    public CausalFftConvOp(INDArray u, INDArray k) {
        super(new INDArray[]{u, k}, null);
    }

    /** Builds the op in a graph and returns y (batch, length, channels). */
    public static SDVariable convolve(SameDiff sd, SDVariable u, SDVariable k) {
        return new CausalFftConvOp(sd, u, k).outputVariable();
    }

    @Override
    public String opName() {
        return NAME;
    }

    @Override
    public List<DataType> outputTypes(List<DataType> inputTypes) {
        return List.of(inputTypes.get(0));
    }

    @Override
    public List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        INDArray u = inputs.get(0);
        checkShapes(u, inputs.get(1));
        return List.of(shape(u.dataType(), u.shape()));
    }

    @Override
    public void compute(List<INDArray> inputs, List<INDArray> outputs) {
        INDArray u = inputs.get(0);
        checkShapes(u, inputs.get(1));
        int batch = (int) u.size(0);
        int length = (int) u.size(1);
        int channels = (int) u.size(2);
        double[] y = new double[batch * length * channels];
        CausalConvolutions.forward(DenseArrays.toDoubles(u), DenseArrays.toDoubles(inputs.get(1)), y,
                batch, length, channels);
        DenseArrays.assign(outputs.get(0), y);
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable[] grads = new CausalFftConvBackwardOp(sameDiff, arg(0), arg(1), gradients.get(0))
                .outputVariables();
        return List.of(grads[0], grads[1]);
    }

    /** u (batch, length, channels) and k (channels, length) of one floating type. */
    static void checkShapes(INDArray u, INDArray k) {
        if (u.rank() != 3 || k.rank() != 2 || k.size(0) != u.size(2) || k.size(1) != u.size(1)) {
            throw new IllegalArgumentException("causal convolution needs u (batch, length, channels) and k (channels,"
                    + " length), got u " + Arrays.toString(u.shape()) + " and k " + Arrays.toString(k.shape()));
        }
        if (u.dataType() != k.dataType() || (u.dataType() != DataType.FLOAT && u.dataType() != DataType.DOUBLE)) {
            throw new IllegalArgumentException("causal convolution needs u and k both FLOAT or both DOUBLE, got "
                    + u.dataType() + " and " + k.dataType());
        }
    }
}
