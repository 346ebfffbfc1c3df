package io.seqbench.kernels.rnn;

import io.seqbench.kernels.op.DenseArrays;
import io.seqbench.kernels.op.JavaOp;
import io.seqbench.kernels.op.OpThreads;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

import java.util.Arrays;
import java.util.List;

/**
 * The GRU recurrence over whole sequences as one op (PyTorch's gate convention; equations in the package
 * documentation), with its backward pass in {@link GruBackwardOp}. Replaces ND4J's {@code sd.rnn.gru}, whose
 * gradient is wrong in 1.0.0-M2.1.
 *
 * <p>The input projection x W + b_i is left to the graph (one large matrix product); this op runs only the
 * recurrent part, from h_0 = 0. Inputs, all FLOAT or all DOUBLE: {@code xp} (batch, length, 3d) projected
 * inputs with gate blocks r, z, n; {@code u} (d, 3d) recurrent weights; {@code bh} (3d) recurrent bias.
 * Output: {@code h} (batch, length, d), the hidden state after each position. Computation runs in double
 * whatever the data type, in parallel over the batch on at most as many threads as ND4J is pinned to.
 */
public final class GruOp extends JavaOp {
    public static final String NAME = "seqbench_gru";

    public GruOp() {
    }

    /** Builds the op into a graph. */
    public GruOp(SameDiff sd, SDVariable xp, SDVariable u, SDVariable bh) {
        super(sd, xp, u, bh);
    }

    /** Eager form. */
    public GruOp(INDArray xp, INDArray u, INDArray bh) {
        super(new INDArray[]{xp, u, bh}, null);
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
        Sizes s = Sizes.of(inputs.get(0), inputs.get(1), inputs.get(2));
        return List.of(shape(inputs.get(0).dataType(), s.batch, s.length, s.d));
    }

    @Override
    public void compute(List<INDArray> inputs, List<INDArray> outputs) {
        Sizes s = Sizes.of(inputs.get(0), inputs.get(1), inputs.get(2));
        double[] h = new double[s.batch * s.length * s.d];
        GruKernel.forward(DenseArrays.toDoubles(inputs.get(0)), DenseArrays.toDoubles(inputs.get(1)),
                DenseArrays.toDoubles(inputs.get(2)), h, s.batch, s.length, s.d, OpThreads.threads());
        DenseArrays.assign(outputs.get(0), h);
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable[] grads = new GruBackwardOp(sameDiff, arg(0), arg(1), arg(2), outputVariable(),
                gradients.get(0)).outputVariables();
        return List.of(grads[0], grads[1], grads[2]);
    }

    /** The sizes of one call, checked: batch, length, d. */
    record Sizes(int batch, int length, int d) {
        static Sizes of(INDArray xp, INDArray u, INDArray bh) {
            DataType type = xp.dataType();
            if (type != DataType.FLOAT && type != DataType.DOUBLE) {
                throw new IllegalArgumentException("gru: xp must be FLOAT or DOUBLE, got " + type);
            }
            if (u.dataType() != type || bh.dataType() != type) {
                throw new IllegalArgumentException("gru: xp, u and bh must share one data type, got " + type + ", "
                        + u.dataType() + ", " + bh.dataType());
            }
            if (xp.rank() != 3 || xp.size(2) % 3 != 0 || xp.size(2) == 0) {
                throw new IllegalArgumentException("gru: xp must have shape (batch, length, 3d), got "
                        + Arrays.toString(xp.shape()));
            }
            long d = xp.size(2) / 3;
            if (u.rank() != 2 || u.size(0) != d || u.size(1) != 3 * d) {
                throw new IllegalArgumentException("gru: u must have shape (" + d + ", " + 3 * d + ") for xp of shape "
                        + Arrays.toString(xp.shape()) + ", got " + Arrays.toString(u.shape()));
            }
            if (bh.length() != 3 * d || bh.rank() != 1) {
                throw new IllegalArgumentException("gru: bh must have shape (" + 3 * d + "), got "
                        + Arrays.toString(bh.shape()));
            }
            if (xp.length() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("gru: xp has " + xp.length() + " elements, at most "
                        + Integer.MAX_VALUE + " are supported");
            }
            return new Sizes((int) xp.size(0), (int) xp.size(1), (int) d);
        }
    }
}
