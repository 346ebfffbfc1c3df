package io.seqbench.kernels.norm;

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
 * RMSNorm over the last axis (Zhang &amp; Sennrich, 2019): {@code y = x / sqrt(mean(x²) + ε) · gain}, with its
 * backward in {@link RmsNormBackwardOp}.
 *
 * <p>Written as one op because the same function from ND4J primitives needs two broadcast multiplications whose
 * backward passes are slow in M2.1 (about a quarter of a small model's training step). Inputs: {@code x} (…, d)
 * and {@code gain} (d), both FLOAT or both DOUBLE; attribute (tArg 0) ε. Output: {@code y}, the shape of x.
 * Arithmetic runs in double whatever the data type.
 */
public final class RmsNormOp extends JavaOp {
    public static final String NAME = "seqbench_rms_norm";

    public RmsNormOp() {
    }

    public RmsNormOp(SameDiff sd, SDVariable x, SDVariable gain, double epsilon) {
        super(sd, x, gain);
        addTArgument(epsilon);
    }

    public RmsNormOp(INDArray x, INDArray gain, double epsilon) {
        super(new INDArray[]{x, gain}, null);
        addTArgument(epsilon);
    }

    @Override
    public String opName() {
        return NAME;
    }

    double epsilon() {
        return tArgs()[0];
    }

    @Override
    public List<DataType> outputTypes(List<DataType> inputTypes) {
        return List.of(inputTypes.get(0));
    }

    @Override
    public List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        check(inputs.get(0), inputs.get(1));
        return shapesLike(inputs.subList(0, 1));
    }

    @Override
    public void compute(List<INDArray> inputs, List<INDArray> outputs) {
        INDArray x = inputs.get(0);
        int d = check(x, inputs.get(1));
        double[] xv = DenseArrays.toDoubles(x);
        double[] g = DenseArrays.toDoubles(inputs.get(1));
        double[] y = new double[xv.length];
        double eps = epsilon();
        for (int row = 0; row < xv.length / d; row++) {
            int o = row * d;
            double r = inverseRms(xv, o, d, eps);
            for (int j = 0; j < d; j++) {
                y[o + j] = xv[o + j] * r * g[j];
            }
        }
        DenseArrays.assign(outputs.get(0), y);
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable[] grads = new RmsNormBackwardOp(sameDiff, arg(0), arg(1), gradients.get(0), epsilon())
                .outputVariables();
        return List.of(grads[0], grads[1]);
    }

    /** 1 / sqrt(mean(x[o … o+d)²) + ε). */
    static double inverseRms(double[] x, int o, int d, double eps) {
        double sum = 0;
        for (int j = 0; j < d; j++) {
            sum += x[o + j] * x[o + j];
        }
        return 1.0 / Math.sqrt(sum / d + eps);
    }

    /** Validates shapes and types; returns d. */
    static int check(INDArray x, INDArray gain) {
        if (x.rank() < 1 || gain.rank() != 1 || gain.size(0) != x.size(x.rank() - 1)) {
            throw new IllegalArgumentException("rms norm: gain must have shape (" + x.size(x.rank() - 1)
                    + ") for x of shape " + Arrays.toString(x.shape()) + ", got " + Arrays.toString(gain.shape()));
        }
        if (x.dataType() != gain.dataType() || (x.dataType() != DataType.FLOAT && x.dataType() != DataType.DOUBLE)) {
            throw new IllegalArgumentException("rms norm: x and gain must both be FLOAT or both DOUBLE, got "
                    + x.dataType() + " and " + gain.dataType());
        }
        return (int) gain.size(0);
    }
}
