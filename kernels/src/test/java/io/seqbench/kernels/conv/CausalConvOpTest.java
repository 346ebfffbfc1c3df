package io.seqbench.kernels.conv;

import io.seqbench.kernels.op.JavaOps;
import io.seqbench.kernels.testing.GradientCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CausalConvOpTest {
    private static final int BATCH = 3;
    private static final int LENGTH = 9;
    private static final int CHANNELS = 5;

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    private static INDArray random(long seed, DataType type, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * r.nextDouble() - 1;
        }
        return Nd4j.createFromArray(v).reshape(shape).castTo(type);
    }

    private static double[][][] to3(INDArray a) {
        double[][][] out = new double[(int) a.size(0)][][];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.slice(i).castTo(DataType.DOUBLE).toDoubleMatrix();
        }
        return out;
    }

    // the last case has (k − 1)·δ ≥ length: every tap but the current one falls before the sequence
    @ParameterizedTest(name = "k={0}, dilation={1}")
    @CsvSource({"4, 1", "3, 2", "2, 3", "3, 5"})
    void forward_matchesReference_inDoubleAndFloat(int k, int dilation) {
        for (DataType type : new DataType[]{DataType.DOUBLE, DataType.FLOAT}) {
            INDArray x = random(1, type, BATCH, LENGTH, CHANNELS);
            INDArray w = random(2, type, k, CHANNELS);
            INDArray bias = random(3, type, CHANNELS);
            INDArray y = Nd4j.exec(new CausalConvOp(x, w, bias, dilation))[0];
            double[][][] expected = CausalConvReference.forward(to3(x), w.castTo(DataType.DOUBLE).toDoubleMatrix(),
                    bias.castTo(DataType.DOUBLE).toDoubleVector(), dilation);
            double diff = Nd4j.createFromArray(expected).sub(y.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
            assertEquals(type, y.dataType());
            assertTrue(diff < (type == DataType.DOUBLE ? 1e-14 : 1e-6), type + ": differs by " + diff);
        }
    }

    @ParameterizedTest(name = "k={0}, dilation={1}")
    @CsvSource({"3, 2", "2, 3", "3, 5"})
    void gradients_inDouble_matchFiniteDifferencesForEveryInput(int k, int dilation) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", random(4, DataType.DOUBLE, 2, LENGTH, CHANNELS));
        SDVariable w = sd.var("w", random(5, DataType.DOUBLE, k, CHANNELS));
        SDVariable bias = sd.var("bias", random(6, DataType.DOUBLE, CHANNELS));
        SDVariable y = new CausalConvOp(sd, x, w, bias, dilation).outputVariable();
        SDVariable weights = sd.constant("c", random(7, DataType.DOUBLE, 2, LENGTH, CHANNELS));
        SDVariable loss = y.mul(weights).sum().add(y.mul(y).sum().mul(0.4));   // every output, non-linearly
        sd.updateVariableNameAndReference(loss, "loss");
        GradientCheck.Result result = GradientCheck.check(sd, Map.of(), "loss", List.of("x", "w", "bias"),
                1e-6, 1e-6, 1e-8, 1000, 1L);
        assertTrue(result.passed(), result.toString());
        assertEquals(2 * LENGTH * CHANNELS + k * CHANNELS + CHANNELS, result.checked());
    }

    @Test
    void forward_wrongFilterWidth_failsNamingTheInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nd4j.exec(new CausalConvOp(
                random(8, DataType.FLOAT, 1, 4, CHANNELS), random(9, DataType.FLOAT, 3, CHANNELS + 1),
                random(10, DataType.FLOAT, CHANNELS), 1)));
        assertTrue(e.getMessage().contains("w must have shape (k, 5)"), e.getMessage());
    }

    @Test
    void construction_dilationZero_fails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CausalConvOp(
                random(11, DataType.FLOAT, 1, 4, CHANNELS), random(12, DataType.FLOAT, 3, CHANNELS),
                random(13, DataType.FLOAT, CHANNELS), 0));
        assertTrue(e.getMessage().contains("dilation must be ≥ 1"), e.getMessage());
    }

    @Test
    void kernel_resultsDoNotDependOnTheThreadCount_andMatchTheReference() {
        int batch = 5, length = 33, channels = 7, k = 4, dilation = 2;
        SplittableRandom r = new SplittableRandom(11);
        double[] x = r.doubles(batch * length * channels, -1, 1).toArray();
        double[] w = r.doubles(k * channels, -1, 1).toArray();
        double[] bias = r.doubles(channels, -1, 1).toArray();
        double[] dy = r.doubles(batch * length * channels, -1, 1).toArray();
        double[][][] got = new double[2][][];
        int before = Nd4j.getEnvironment().maxThreads();
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Nd4j.getEnvironment().setMaxThreads(threads);
                double[] y = new double[x.length];
                double[] dx = new double[x.length];
                double[] dw = new double[w.length];
                double[] db = new double[channels];
                CausalConvKernel.forward(x, w, bias, y, batch, length, channels, k, dilation);
                CausalConvKernel.backward(x, w, dy, dx, dw, db, batch, length, channels, k, dilation);
                got[threads - 1] = new double[][]{y, dx, dw, db};
            }
        } finally {
            Nd4j.getEnvironment().setMaxThreads(before);
        }
        for (int i = 0; i < 4; i++) {
            assertTrue(java.util.Arrays.equals(got[0][i], got[1][i]), "output " + i + " differs between 1 and 2 threads");
        }
        // y against the direct definition
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                for (int c = 0; c < channels; c++) {
                    double want = bias[c];
                    for (int j = 0; j < k; j++) {
                        int s = t - (k - 1 - j) * dilation;
                        if (s >= 0) {
                            want += w[j * channels + c] * x[(b * length + s) * channels + c];
                        }
                    }
                    assertEquals(want, got[0][0][(b * length + t) * channels + c], 1e-12);
                }
            }
        }
    }
}
