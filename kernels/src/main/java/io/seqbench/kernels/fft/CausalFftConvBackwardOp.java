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
 * Backward of {@link CausalFftConvOp}: the correlations
 * {@code du[b, s, c] = Σ_{t ≥ s} k[c, t − s] · g[b, t, c]} and {@code dk[c, j] = Σ_b Σ_{t ≥ j} g[b, t, c] · u[b, t − j, c]},
 * both by FFT.
 *
 * <p>Inputs: {@code u} (batch, length, channels), {@code k} (channels, length), {@code g} = ∂loss/∂y (batch,
 * length, channels). Outputs: {@code du} shaped like u, {@code dk} shaped like k.
 */
public final class CausalFftConvBackwardOp extends JavaOp {
    public static final String NAME = "seqbench_causal_fft_conv_bp";

    public CausalFftConvBackwardOp() {
    }

    public CausalFftConvBackwardOp(SameDiff sd, SDVariable u, SDVariable k, SDVariable g) {
        super(sd, u, k, g);
    }

    /** Eager form, for tests. */
    public CausalFftConvBackwardOp(INDArray u, INDArray k, INDArray g) {
        super(new INDArray[]{u, k, g}, null);
    }

    @Override
    public String opName() {
        return NAME;
    }

    @Override
    public List<DataType> outputTypes(List<DataType> inputTypes) {
        return List.of(inputTypes.get(0), inputTypes.get(1));
    }

    @Override
    public List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        INDArray u = inputs.get(0);
        INDArray k = inputs.get(1);
        CausalFftConvOp.checkShapes(u, k);
        return List.of(shape(u.dataType(), u.shape()), shape(k.dataType(), k.shape()));
    }

    @Override
    public void compute(List<INDArray> inputs, List<INDArray> outputs) {
        INDArray u = inputs.get(0);
        INDArray k = inputs.get(1);
        INDArray g = inputs.get(2);
        CausalFftConvOp.checkShapes(u, k);
        if (!Arrays.equals(g.shape(), u.shape())) {
            throw new IllegalArgumentException("causal convolution gradient has shape " + Arrays.toString(g.shape())
                    + ", expected " + Arrays.toString(u.shape()));
        }
        int batch = (int) u.size(0);
        int length = (int) u.size(1);
        int channels = (int) u.size(2);
        double[] du = new double[batch * length * channels];
        double[] dk = new double[channels * length];
        CausalConvolutions.backward(DenseArrays.toDoubles(u), DenseArrays.toDoubles(k), DenseArrays.toDoubles(g),
                du, dk, batch, length, channels);
        DenseArrays.assign(outputs.get(0), du);
        DenseArrays.assign(outputs.get(1), dk);
    }
}
