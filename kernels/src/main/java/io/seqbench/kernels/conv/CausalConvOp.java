package io.seqbench.kernels.conv;

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
 * Depthwise causal dilated convolution along the sequence axis (equation in the package documentation), with
 * its backward pass in {@link CausalConvBackwardOp}.
 *
 * <p>Inputs, all FLOAT or all DOUBLE: {@code x} (batch, length, channels); {@code w} (k, channels), tap k−1 at
 * the current position; {@code bias} (channels). Attribute (iArg 0): the dilation δ ≥ 1. Output: {@code y}
 * (batch, length, channels). Computation runs in double whatever the data type.
 */
public final class CausalConvOp extends JavaOp {
    public static final String NAME = "seqbench_causal_conv";

    public CausalConvOp() {
    }

    /** Builds the op into a graph. */
    public CausalConvOp(SameDiff sd, SDVariable x, SDVariable w, SDVariable bias, int dilation) {
        super(sd, x, w, bias);
        addIArgument(checkDilation(dilation));
    }

    /** Eager form. */
    public CausalConvOp(INDArray x, INDArray w, INDArray bias, int dilation) {
        super(new INDArray[]{x, w, bias}, null);
        addIArgument(checkDilation(dilation));
    }

    @Override
    public String opName() {
        return NAME;
    }

    @Override
    public void configureFromArguments() {
        dilation(this);   // validates the attribute restored from a graph clone
    }

    @Override
    public List<DataType> outputTypes(List<DataType> inputTypes) {
        return List.of(inputTypes.get(0));
    }

    @Override
    public List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        Sizes.of(inputs.get(0), inputs.get(1), inputs.get(2));
        return shapesLike(inputs.subList(0, 1));
    }

    @Override
    public void compute(List<INDArray> inputs, List<INDArray> outputs) {
        Sizes s = Sizes.of(inputs.get(0), inputs.get(1), inputs.get(2));
        double[] y = new double[Math.toIntExact(inputs.get(0).length())];
        CausalConvKernel.forward(DenseArrays.toDoubles(inputs.get(0)), DenseArrays.toDoubles(inputs.get(1)),
                DenseArrays.toDoubles(inputs.get(2)), y, s.batch, s.length, s.channels, s.k, dilation(this));
        DenseArrays.assign(outputs.get(0), y);
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable[] grads = new CausalConvBackwardOp(sameDiff, arg(0), arg(1), arg(2), gradients.get(0),
                dilation(this)).outputVariables();
        return List.of(grads[0], grads[1], grads[2]);
    }

    static int checkDilation(int dilation) {
        if (dilation < 1) {
            throw new IllegalArgumentException("causal conv: dilation must be ≥ 1, got " + dilation);
        }
        return dilation;
    }

    /** The dilation attribute of a causal-conv op (its one iArg). */
    static int dilation(JavaOp op) {
        long[] args = op.iArgs();
        if (args == null || args.length != 1) {
            throw new IllegalStateException(op.opName() + ": expected one iArg (the dilation), got "
                    + Arrays.toString(args));
        }
        return checkDilation(Math.toIntExact(args[0]));
    }

    /** The sizes of one call, checked. */
    record Sizes(int batch, int length, int channels, int k) {
        static Sizes of(INDArray x, INDArray w, INDArray bias) {
            DataType type = x.dataType();
            if (type != DataType.FLOAT && type != DataType.DOUBLE) {
                throw new IllegalArgumentException("causal conv: x must be FLOAT or DOUBLE, got " + type);
            }
            if (w.dataType() != type || bias.dataType() != type) {
                throw new IllegalArgumentException("causal conv: x, w and bias must share one data type, got "
                        + type + ", " + w.dataType() + ", " + bias.dataType());
            }
            if (x.rank() != 3) {
                throw new IllegalArgumentException("causal conv: x must have shape (batch, length, channels), got "
                        + Arrays.toString(x.shape()));
            }
            long channels = x.size(2);
            if (w.rank() != 2 || w.size(1) != channels || w.size(0) < 1) {
                throw new IllegalArgumentException("causal conv: w must have shape (k, " + channels + "), got "
                        + Arrays.toString(w.shape()));
            }
            if (bias.rank() != 1 || bias.length() != channels) {
                throw new IllegalArgumentException("causal conv: bias must have shape (" + channels + "), got "
                        + Arrays.toString(bias.shape()));
            }
            if (x.length() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("causal conv: x has " + x.length() + " elements, at most "
                        + Integer.MAX_VALUE + " are supported");
            }
            return new Sizes((int) x.size(0), (int) x.size(1), (int) channels, (int) w.size(0));
        }
    }
}
