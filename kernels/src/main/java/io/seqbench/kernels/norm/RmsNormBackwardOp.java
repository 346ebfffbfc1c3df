package io.seqbench.kernels.norm;

import io.seqbench.kernels.op.DenseArrays;
import io.seqbench.kernels.op.JavaOp;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

import java.util.List;

/**
 * Backward of {@link RmsNormOp}. With r = (mean(x²) + ε)^−½ per row and s = gain ⊙ dy:
 * <pre>
 *   dx_j   = r·s_j − x_j · r³/d · Σ_i s_i x_i
 *   dgain_j = Σ over rows of dy_j · x_j · r
 * </pre>
 * Inputs: {@code x}, {@code gain}, {@code dy}; attribute (tArg 0) ε. Outputs: {@code dx}, {@code dgain}.
 */
public final class RmsNormBackwardOp extends JavaOp {
    public static final String NAME = "seqbench_rms_norm_bp";

    public RmsNormBackwardOp() {
    }

    public RmsNormBackwardOp(SameDiff sd, SDVariable x, SDVariable gain, SDVariable dy, double epsilon) {
        super(sd, x, gain, dy);
        addTArgument(epsilon);
    }

    public RmsNormBackwardOp(INDArray x, INDArray gain, INDArray dy, double epsilon) {
        super(new INDArray[]{x, gain, dy}, null);
        addTArgument(epsilon);
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
        RmsNormOp.check(inputs.get(0), inputs.get(1));
        return shapesLike(inputs.subList(0, 2));
    }

    @Override
    public void compute(List<INDArray> inputs, List<INDArray> outputs) {
        int d = RmsNormOp.check(inputs.get(0), inputs.get(1));
        double[] x = DenseArrays.toDoubles(inputs.get(0));
        double[] g = DenseArrays.toDoubles(inputs.get(1));
        double[] dy = DenseArrays.toDoubles(inputs.get(2));
        double eps = tArgs()[0];
        double[] dx = new double[x.length];
        double[] dg = new double[d];
        for (int row = 0; row < x.length / d; row++) {
            int o = row * d;
            double r = RmsNormOp.inverseRms(x, o, d, eps);
            double dot = 0;
            for (int j = 0; j < d; j++) {
                dot += g[j] * dy[o + j] * x[o + j];
                dg[j] += dy[o + j] * x[o + j] * r;
            }
            double c = r * r * r * dot / d;
            for (int j = 0; j < d; j++) {
                dx[o + j] = r * g[j] * dy[o + j] - x[o + j] * c;
            }
        }
        DenseArrays.assign(outputs.get(0), dx);
        DenseArrays.assign(outputs.get(1), dg);
    }
}
