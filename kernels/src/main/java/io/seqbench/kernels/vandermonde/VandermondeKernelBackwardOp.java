package io.seqbench.kernels.vandermonde;

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
 * Backward of {@link VandermondeKernelOp} (formulas in {@link VandermondeKernels#backward}).
 *
 * <p>Inputs: {@code zRe}, {@code zIm}, {@code wRe}, {@code wIm} (channels, modes) and {@code g} = ∂loss/∂K
 * (channels, length). Outputs: the gradients of zRe, zIm, wRe, wIm, each (channels, modes).
 */
public final class VandermondeKernelBackwardOp extends JavaOp {
    public static final String NAME = "seqbench_vandermonde_kernel_bp";

    public VandermondeKernelBackwardOp() {
    }

    public VandermondeKernelBackwardOp(SameDiff sd, SDVariable zRe, SDVariable zIm, SDVariable wRe, SDVariable wIm,
                                       SDVariable g) {
        super(sd, zRe, zIm, wRe, wIm, g);
    }

    /** Eager form, for tests. */
    public VandermondeKernelBackwardOp(INDArray zRe, INDArray zIm, INDArray wRe, INDArray wIm, INDArray g) {
        super(new INDArray[]{zRe, zIm, wRe, wIm, g}, null);
    }

    @Override
    public String opName() {
        return NAME;
    }

    @Override
    public List<DataType> outputTypes(List<DataType> inputTypes) {
        return List.of(inputTypes.get(0), inputTypes.get(0), inputTypes.get(0), inputTypes.get(0));
    }

    @Override
    public List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        VandermondeKernelOp.checkInputs(inputs);
        INDArray z = inputs.get(0);
        LongShapeDescriptor d = shape(z.dataType(), z.shape());
        return List.of(d, d, d, d);
    }

    @Override
    public void compute(List<INDArray> inputs, List<INDArray> outputs) {
        VandermondeKernelOp.checkInputs(inputs);
        INDArray z = inputs.get(0);
        INDArray g = inputs.get(4);
        int channels = (int) z.size(0);
        int modes = (int) z.size(1);
        if (g.rank() != 2 || g.size(0) != channels) {
            throw new IllegalArgumentException("Vandermonde kernel gradient must be (channels, length) with "
                    + channels + " channels, got " + Arrays.toString(g.shape()));
        }
        int length = (int) g.size(1);
        int n = channels * modes;
        double[] dzRe = new double[n];
        double[] dzIm = new double[n];
        double[] dwRe = new double[n];
        double[] dwIm = new double[n];
        VandermondeKernels.backward(DenseArrays.toDoubles(z), DenseArrays.toDoubles(inputs.get(1)),
                DenseArrays.toDoubles(inputs.get(2)), DenseArrays.toDoubles(inputs.get(3)), DenseArrays.toDoubles(g),
                channels, modes, length, dzRe, dzIm, dwRe, dwIm);
        DenseArrays.assign(outputs.get(0), dzRe);
        DenseArrays.assign(outputs.get(1), dzIm);
        DenseArrays.assign(outputs.get(2), dwRe);
        DenseArrays.assign(outputs.get(3), dwIm);
    }
}
