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
 * The S4D convolution kernel by a Vandermonde product: {@code K[c, l] = 2 Re Σ_m w[c, m] · z[c, m]^l}, for
 * l = 0 … length−1 (see {@link VandermondeKernels}).
 *
 * <p>Inputs: {@code zRe}, {@code zIm}, {@code wRe}, {@code wIm}, each (channels, modes), all FLOAT or all
 * DOUBLE: the discrete diagonal Ā and the weights C·B̄ as real and imaginary parts. Attribute (iArg 0): the
 * kernel length. Output: K (channels, length), the inputs' type. Computed in double precision; the backward
 * pass is {@link VandermondeKernelBackwardOp}.
 *
 * <p>Why a Java op rather than graph ops: it never materialises the (channels, modes, length) tensor of powers
 * (33 M elements at 64 channels, 32 modes, L = 16K), and it takes Ā itself, so every discretization (not only
 * zero-order hold, whose powers are exp(lΔA)) is handled without a complex logarithm.
 */
public final class VandermondeKernelOp extends JavaOp {
    public static final String NAME = "seqbench_vandermonde_kernel";

    public VandermondeKernelOp() {
    }

    public VandermondeKernelOp(SameDiff sd, SDVariable zRe, SDVariable zIm, SDVariable wRe, SDVariable wIm,
                               int length) {
        super(sd, zRe, zIm, wRe, wIm);
        addIArgument(checkLength(length));
    }

    /** Eager form, for tests. */
    public VandermondeKernelOp(INDArray zRe, INDArray zIm, INDArray wRe, INDArray wIm, int length) {
        super(new INDArray[]{zRe, zIm, wRe, wIm}, null);
        addIArgument(checkLength(length));
    }

    /** Builds the op in a graph and returns K (channels, length). */
    public static SDVariable kernel(SameDiff sd, SDVariable zRe, SDVariable zIm, SDVariable wRe, SDVariable wIm,
                                    int length) {
        return new VandermondeKernelOp(sd, zRe, zIm, wRe, wIm, length).outputVariable();
    }

    @Override
    public String opName() {
        return NAME;
    }

    int length() {
        if (iArguments.isEmpty()) {
            throw new IllegalStateException(NAME + " has no length argument");
        }
        return Math.toIntExact(iArguments.get(0));
    }

    @Override
    public List<DataType> outputTypes(List<DataType> inputTypes) {
        return List.of(inputTypes.get(0));
    }

    @Override
    public List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        checkInputs(inputs);
        INDArray z = inputs.get(0);
        return List.of(shape(z.dataType(), z.size(0), length()));
    }

    @Override
    public void compute(List<INDArray> inputs, List<INDArray> outputs) {
        checkInputs(inputs);
        int channels = (int) inputs.get(0).size(0);
        int modes = (int) inputs.get(0).size(1);
        int length = length();
        double[] k = new double[channels * length];
        VandermondeKernels.kernel(DenseArrays.toDoubles(inputs.get(0)), DenseArrays.toDoubles(inputs.get(1)),
                DenseArrays.toDoubles(inputs.get(2)), DenseArrays.toDoubles(inputs.get(3)), channels, modes,
                length, k);
        DenseArrays.assign(outputs.get(0), k);
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable[] grads = new VandermondeKernelBackwardOp(sameDiff, arg(0), arg(1), arg(2), arg(3),
                gradients.get(0)).outputVariables();
        return List.of(grads);
    }

    /** Four (channels, modes) arrays of one floating type. */
    static void checkInputs(List<INDArray> inputs) {
        INDArray z = inputs.get(0);
        for (int i = 0; i < 4; i++) {
            INDArray a = inputs.get(i);
            if (a.rank() != 2 || !Arrays.equals(a.shape(), z.shape()) || a.dataType() != z.dataType()
                    || (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE)) {
                throw new IllegalArgumentException("Vandermonde kernel needs zRe, zIm, wRe, wIm of one shape"
                        + " (channels, modes) and one type, FLOAT or DOUBLE; input " + i + " is "
                        + a.dataType() + " " + Arrays.toString(a.shape()) + ", input 0 is " + z.dataType() + " "
                        + Arrays.toString(z.shape()));
            }
        }
    }

    private static int checkLength(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("Vandermonde kernel length must be ≥ 1, got " + length);
        }
        return length;
    }
}
