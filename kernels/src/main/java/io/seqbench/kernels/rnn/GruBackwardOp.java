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
 * Backward pass of {@link GruOp}: backpropagation through time, recomputing the gates from the saved outputs.
 *
 * <p>Inputs: {@code xp} (batch, length, 3d), {@code u} (d, 3d), {@code bh} (3d) as given to the forward op,
 * {@code h} (batch, length, d) its output, {@code dh} (batch, length, d) the gradient of the loss with respect
 * to h. Outputs: the gradients with respect to xp, u and bh, shaped like them.
 */
public final class GruBackwardOp extends JavaOp {
    public static final String NAME = "seqbench_gru_bp";

    public GruBackwardOp() {
    }

    public GruBackwardOp(SameDiff sd, SDVariable xp, SDVariable u, SDVariable bh, SDVariable h, SDVariable dh) {
        super(sd, xp, u, bh, h, dh);
    }

    /** Eager form. */
    public GruBackwardOp(INDArray xp, INDArray u, INDArray bh, INDArray h, INDArray dh) {
        super(new INDArray[]{xp, u, bh, h, dh}, null);
    }

    @Override
    public String opName() {
        return NAME;
    }

    @Override
    public List<DataType> outputTypes(List<DataType> inputTypes) {
        return List.of(inputTypes.get(0), inputTypes.get(1), inputTypes.get(2));
    }

    @Override
    public List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        GruOp.Sizes.of(inputs.get(0), inputs.get(1), inputs.get(2));
        return shapesLike(inputs.subList(0, 3));
    }

    @Override
    public void compute(List<INDArray> inputs, List<INDArray> outputs) {
        GruOp.Sizes s = GruOp.Sizes.of(inputs.get(0), inputs.get(1), inputs.get(2));
        long[] hShape = {s.batch(), s.length(), s.d()};
        for (int i = 3; i <= 4; i++) {
            if (!Arrays.equals(inputs.get(i).shape(), hShape)) {
                throw new IllegalArgumentException("gru backward: " + (i == 3 ? "h" : "dh") + " must have shape "
                        + Arrays.toString(hShape) + ", got " + Arrays.toString(inputs.get(i).shape()));
            }
        }
        double[] dxp = new double[Math.toIntExact(inputs.get(0).length())];
        double[] du = new double[Math.toIntExact(inputs.get(1).length())];
        double[] dbh = new double[Math.toIntExact(inputs.get(2).length())];
        GruKernel.backward(DenseArrays.toDoubles(inputs.get(0)), DenseArrays.toDoubles(inputs.get(1)),
                DenseArrays.toDoubles(inputs.get(2)), DenseArrays.toDoubles(inputs.get(3)),
                DenseArrays.toDoubles(inputs.get(4).castTo(inputs.get(0).dataType())),
                dxp, du, dbh, s.batch(), s.length(), s.d(), OpThreads.threads());
        DenseArrays.assign(outputs.get(0), dxp);
        DenseArrays.assign(outputs.get(1), du);
        DenseArrays.assign(outputs.get(2), dbh);
    }
}
