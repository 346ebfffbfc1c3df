package io.seqbench.kernels.fft;

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

class CausalFftConvOpTest {

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    static double[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * r.nextDouble() - 1;
        }
        return v;
    }

    static double maxAbsDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void fftSize_isSmallestPowerOfTwoAtLeastTwiceTheLength() {
        assertEquals(2, CausalConvolutions.fftSize(1));
        assertEquals(4, CausalConvolutions.fftSize(2));
        assertEquals(8, CausalConvolutions.fftSize(3));
        assertEquals(512, CausalConvolutions.fftSize(256));
        assertEquals(1024, CausalConvolutions.fftSize(257));
    }

    @Test
    void forwardAndBackward_oddShapes_matchDirectSums() {
        int[][] shapes = {{3, 37, 5}, {1, 1, 2}, {2, 2, 3}, {2, 100, 1}};
        for (int[] s : shapes) {
            int b = s[0];
            int l = s[1];
            int c = s[2];
            double[] u = random(1, b * l * c);
            double[] k = random(2, c * l);
            double[] g = random(3, b * l * c);
            double[] yFft = new double[b * l * c];
            double[] yRef = new double[b * l * c];
            CausalConvolutions.forward(u, k, yFft, b, l, c);
            CausalConvolutions.forwardDirect(u, k, yRef, b, l, c);
            assertTrue(maxAbsDiff(yFft, yRef) < 1e-12, "forward " + java.util.Arrays.toString(s));
            double[] du = new double[b * l * c];
            double[] dk = new double[c * l];
            double[] duRef = new double[b * l * c];
            double[] dkRef = new double[c * l];
            CausalConvolutions.backward(u, k, g, du, dk, b, l, c);
            CausalConvolutions.backwardDirect(u, k, g, duRef, dkRef, b, l, c);
            assertTrue(maxAbsDiff(du, duRef) < 1e-12, "du " + java.util.Arrays.toString(s));
            assertTrue(maxAbsDiff(dk, dkRef) < 1e-12, "dk " + java.util.Arrays.toString(s));
        }
    }

    @Test
    void direct_impulseInput_reproducesTheKernel() {
        // u = δ at t = 0 in every channel: y[t, c] = k[c, t]
        int l = 6;
        int c = 2;
        double[] u = new double[l * c];
        u[0] = 1;
        u[1] = 1;
        double[] k = random(4, c * l);
        double[] y = new double[l * c];
        CausalConvolutions.forward(u, k, y, 1, l, c);
        for (int t = 0; t < l; t++) {
            for (int ch = 0; ch < c; ch++) {
                assertEquals(k[ch * l + t], y[t * c + ch], 1e-14);
            }
        }
    }

    @Test
    void eagerOp_float_matchesDoubleReference() {
        int b = 2;
        int l = 29;
        int c = 3;
        double[] u = random(5, b * l * c);
        double[] k = random(6, c * l);
        double[] ref = new double[b * l * c];
        CausalConvolutions.forwardDirect(u, k, ref, b, l, c);
        INDArray uf = Nd4j.createFromArray(u).reshape(b, l, c).castTo(DataType.FLOAT);
        INDArray kf = Nd4j.createFromArray(k).reshape(c, l).castTo(DataType.FLOAT);
        INDArray y = Nd4j.exec(new CausalFftConvOp(uf, kf))[0];
        assertEquals(DataType.FLOAT, y.dataType());
        assertArrayEquals(new long[]{b, l, c}, y.shape());
        assertTrue(maxAbsDiff(DenseArrays.toDoubles(y), ref) < 1e-5);
    }

    @Test
    void graph_gradientCheckInDouble_passes() {
        SameDiff sd = SameDiff.create();
        int b = 2;
        int l = 11;
        int c = 3;
        SDVariable u = sd.var("u", Nd4j.createFromArray(random(7, b * l * c)).reshape(b, l, c));
        SDVariable k = sd.var("k", Nd4j.createFromArray(random(8, c * l)).reshape(c, l));
        SDVariable y = CausalFftConvOp.convolve(sd, u, k);
        SDVariable w = sd.constant("w", Nd4j.createFromArray(random(9, b * l * c)).reshape(b, l, c));
        SDVariable loss = sd.math.tanh(y).mul(w).sum();
        sd.updateVariableNameAndReference(loss, "loss");
        GradientCheck.Result result = GradientCheck.check(sd, Map.of(), "loss", List.of("u", "k"), 1e-6, 1e-5,
                1e-8, 100, 42L);
        assertTrue(result.passed(), result.toString());
        assertEquals(b * l * c + c * l, result.checked());
    }

    @Test
    void op_mismatchedShapes_failsWithMessage() {
        INDArray u = Nd4j.zeros(DataType.FLOAT, 2, 5, 3);
        INDArray k = Nd4j.zeros(DataType.FLOAT, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nd4j.exec(new CausalFftConvOp(u, k)));
        assertTrue(e.getMessage().contains("(channels, length)"), e.getMessage());
    }
}
