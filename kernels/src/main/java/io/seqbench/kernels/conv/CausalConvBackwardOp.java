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
 * Backward pass of {@link CausalConvOp}. Inputs: {@code x}, {@code w}, {@code bias} (its shape only) as given to
 * the forward op and {@code dy} (batch, length, channels), the gradient of the loss with respect to its output.
 * Attribute (iArg 0): the dilation. Outputs: the gradients with respect to x, w and bias, shaped like them.
 */
public final class CausalConvBackwardOp extends JavaOp {
    public static final String NAME = "seqbench_causal_conv_bp";

    public CausalConvBackwardOp() {
    }

    public CausalConvBackwardOp(SameDiff sd, SDVariable x, SDVariable w, SDVariable bias, SDVariable dy,
                                int dilation) {
        super(sd, x, w, bias, dy);
        addIArgument(CausalConvOp.checkDilation(dilation));
    }

    /** Eager form. */
    public CausalConvBackwardOp(INDArray x, INDArray w, INDArray bias, INDArray dy, int dilation) {
        super(new INDArray[]{x, w, bias, dy}, null);
        addIArgument(CausalConvOp.checkDilation(dilation));
    }

    @Override
    public String opName() {
        return NAME;
    }

    @Override
    public void configureFromArguments() {
        CausalConvOp.dilation(this);
    }

    @Override
    public List<DataType> outputTypes(List<DataType> inputTypes) {
        return List.of(inputTypes.get(0), inputTypes.get(1), inputTypes.get(2));
    }

    @Override
    public List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        CausalConvOp.Sizes.of(inputs.get(0), inputs.get(1), inputs.get(2));
        return shapesLike(inputs.subList(0, 3));
    }

    @Override
    public void compute(List<INDArray> inputs, List<INDArray> outputs) {
        INDArray x = inputs.get(0);
        CausalConvOp.Sizes s = CausalConvOp.Sizes.of(x, inputs.get(1), inputs.get(2));
        INDArray dy = inputs.get(3);
        if (!Arrays.equals(dy.shape(), x.shape())) {
            throw new IllegalArgumentException("causal conv backward: dy must have shape " + Arrays.toString(x.shape())
                    + ", got " + Arrays.toString(dy.shape()));
        }
        double[] dx = new double[Math.toIntExact(x.length())];
        double[] dw = new double[Math.toIntExact(inputs.get(1).length())];
        double[] dbias = new double[s.channels()];
        CausalConvKernel.backward(DenseArrays.toDoubles(x), DenseArrays.toDoubles(inputs.get(1)),
                DenseArrays.toDoubles(dy.castTo(x.dataType())), dx, dw, dbias, s.batch(), s.length(), s.channels(), s.k(),
                CausalConvOp.dilation(this));
        DenseArrays.assign(outputs.get(0), dx);
        DenseArrays.assign(outputs.get(1), dw);
        DenseArrays.assign(outputs.get(2), dbias);
    }
}
