package io.seqbench.kernels.vandermonde;

import io.seqbench.kernels.op.DenseArrays;
import io.seqbench.kernels.op.JavaOps;
import io.seqbench.kernels.testing.GradientCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VandermondeKernelOpTest {
    private static final int CHANNELS = 3;
    private static final int MODES = 5;

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    /** Modes z = r·e^{iθ} with r in [0.5, 0.99] (stable, like a discretized S4D), w uniform in [−1, 1]². */
    static double[][] inputs(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = CHANNELS * MODES;
        double[][] v = new double[4][n];
        for (int i = 0; i < n; i++) {
            double radius = 0.5 + 0.49 * r.nextDouble();
            double angle = Math.PI * (2 * r.nextDouble() - 1);
            v[0][i] = radius * Math.cos(angle);
            v[1][i] = radius * Math.sin(angle);
            v[2][i] = 2 * r.nextDouble() - 1;
            v[3][i] = 2 * r.nextDouble() - 1;
        }
        return v;
    }

    @Test
    void kernel_byRepeatedMultiplication_matchesComplexLogarithmRoute() {
        double[][] v = inputs(1);
        int length = 77;
        double[] k = new double[CHANNELS * length];
        double[] ref = new double[CHANNELS * length];
        VandermondeKernels.kernel(v[0], v[1], v[2], v[3], CHANNELS, MODES, length, k);
        VandermondeKernels.kernelByLogarithm(v[0], v[1], v[2], v[3], CHANNELS, MODES, length, ref);
        for (int i = 0; i < k.length; i++) {
            assertEquals(ref[i], k[i], 1e-12, "element " + i);
        }
    }

    @Test
    void kernel_firstTapIsTwiceTheRealSumOfWeights() {
        double[][] v = inputs(2);
        double[] k = new double[CHANNELS * 4];
        VandermondeKernels.kernel(v[0], v[1], v[2], v[3], CHANNELS, MODES, 4, k);
        for (int c = 0; c < CHANNELS; c++) {
            double sum = 0;
            for (int m = 0; m < MODES; m++) {
                sum += 2 * v[2][c * MODES + m];
            }
            assertEquals(sum, k[c * 4], 1e-14);
        }
    }

    @Test
    void eagerOp_float_matchesDoubleArithmetic() {
        double[][] v = inputs(3);
        int length = 19;
        double[] ref = new double[CHANNELS * length];
        VandermondeKernels.kernel(v[0], v[1], v[2], v[3], CHANNELS, MODES, length, ref);
        INDArray[] in = new INDArray[4];
        for (int i = 0; i < 4; i++) {
            in[i] = Nd4j.createFromArray(v[i]).reshape(CHANNELS, MODES).castTo(DataType.FLOAT);
        }
        INDArray k = Nd4j.exec(new VandermondeKernelOp(in[0], in[1], in[2], in[3], length))[0];
        assertArrayEquals(new long[]{CHANNELS, length}, k.shape());
        assertEquals(DataType.FLOAT, k.dataType());
        double[] got = DenseArrays.toDoubles(k);
        for (int i = 0; i < got.length; i++) {
            assertEquals(ref[i], got[i], 1e-5);
        }
    }

    @Test
    void graph_gradientCheckInDouble_passes() {
        double[][] v = inputs(4);
        SameDiff sd = SameDiff.create();
        String[] names = {"zRe", "zIm", "wRe", "wIm"};
        SDVariable[] in = new SDVariable[4];
        for (int i = 0; i < 4; i++) {
            in[i] = sd.var(names[i], Nd4j.createFromArray(v[i]).reshape(CHANNELS, MODES));
        }
        int length = 13;
        SDVariable k = VandermondeKernelOp.kernel(sd, in[0], in[1], in[2], in[3], length);
        SplittableRandom r = new SplittableRandom(5);
        double[] weights = new double[CHANNELS * length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 2 * r.nextDouble() - 1;
        }
        SDVariable w = sd.constant("weights", Nd4j.createFromArray(weights).reshape(CHANNELS, length));
        SDVariable loss = sd.math.sin(k).mul(w).sum();
        sd.updateVariableNameAndReference(loss, "loss");
        GradientCheck.Result result = GradientCheck.check(sd, Map.of(), "loss", List.of(names));
        assertTrue(result.passed(), result.toString());
        assertEquals(4 * CHANNELS * MODES, result.checked());
    }

    @Test
    void op_mismatchedInputs_failsWithMessage() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 2, 3);
        INDArray b = Nd4j.zeros(DataType.FLOAT, 2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nd4j.exec(new VandermondeKernelOp(a, a, b, a, 5)));
        assertTrue(e.getMessage().contains("(channels, modes)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new VandermondeKernelOp(a, a, a, a, 0));
    }
}
