package io.seqbench.kernels.rnn;

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

class GruOpTest {
    // sizes that are not powers of two; batch 5 spreads over several backward chunks; d = 5 runs both the
    // four-row and the one-row loops of the kernel's products
    private static final int BATCH = 5;
    private static final int LENGTH = 7;
    private static final int D = 5;

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    /** Uniform values in [−scale, scale], in the given type. */
    private static INDArray random(long seed, double scale, DataType type, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (2 * r.nextDouble() - 1) * scale;
        }
        return Nd4j.createFromArray(v).reshape(shape).castTo(type);
    }

    private static double[][][] to3(INDArray a) {
        int n0 = (int) a.size(0);
        double[][][] out = new double[n0][][];
        for (int i = 0; i < n0; i++) {
            out[i] = a.slice(i).castTo(DataType.DOUBLE).toDoubleMatrix();
        }
        return out;
    }

    @Test
    void forward_double_matchesReference() {
        INDArray xp = random(1, 1.5, DataType.DOUBLE, BATCH, LENGTH, 3 * D);
        INDArray u = random(2, 0.8, DataType.DOUBLE, D, 3 * D);
        INDArray bh = random(3, 0.5, DataType.DOUBLE, 3 * D);
        INDArray h = Nd4j.exec(new GruOp(xp, u, bh))[0];
        assertArrayEquals(new long[]{BATCH, LENGTH, D}, h.shape());
        double[][][] expected = GruReference.forward(to3(xp), u.toDoubleMatrix(), bh.toDoubleVector());
        assertEquals(0.0, Nd4j.createFromArray(expected).sub(h).amaxNumber().doubleValue(), 1e-13);
    }

    @Test
    void forward_float_matchesReferenceToFloatPrecision() {
        INDArray xp = random(4, 1.5, DataType.FLOAT, BATCH, LENGTH, 3 * D);
        INDArray u = random(5, 0.8, DataType.FLOAT, D, 3 * D);
        INDArray bh = random(6, 0.5, DataType.FLOAT, 3 * D);
        INDArray h = Nd4j.exec(new GruOp(xp, u, bh))[0];
        assertEquals(DataType.FLOAT, h.dataType());
        double[][][] expected = GruReference.forward(to3(xp), u.castTo(DataType.DOUBLE).toDoubleMatrix(),
                bh.castTo(DataType.DOUBLE).toDoubleVector());
        double diff = Nd4j.createFromArray(expected).sub(h.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff < 1e-6, "float forward differs from the reference by " + diff);
    }

    @Test
    void forward_eachSequence_isIndependentOfTheOthersInTheBatch() {
        INDArray xp = random(7, 1.0, DataType.DOUBLE, BATCH, LENGTH, 3 * D);
        INDArray u = random(8, 0.8, DataType.DOUBLE, D, 3 * D);
        INDArray bh = random(9, 0.5, DataType.DOUBLE, 3 * D);
        INDArray all = Nd4j.exec(new GruOp(xp, u, bh))[0];
        for (int b = 0; b < BATCH; b++) {
            INDArray one = Nd4j.exec(new GruOp(xp.slice(b).reshape(1, LENGTH, 3 * D).dup(), u, bh))[0];
            assertEquals(one.reshape(LENGTH, D), all.slice(b), "sequence " + b);
        }
    }

    /** A graph whose loss is a non-linear function of every output, so every gradient path is exercised. */
    private static SameDiff graph(INDArray xp, INDArray u, INDArray bh) {
        SameDiff sd = SameDiff.create();
        SDVariable vxp = sd.var("xp", xp);
        SDVariable vu = sd.var("u", u);
        SDVariable vbh = sd.var("bh", bh);
        SDVariable h = new GruOp(sd, vxp, vu, vbh).outputVariable();
        SDVariable weights = sd.constant("c", random(10, 1.0, xp.dataType(), xp.size(0), xp.size(1), D));
        SDVariable loss = h.mul(weights).sum().add(h.mul(h).sum().mul(0.7));
        sd.updateVariableNameAndReference(loss, "loss");
        return sd;
    }

    @Test
    void gradients_inDouble_matchFiniteDifferencesForEveryInput() {
        int batch = 2;      // still two backward chunks
        int length = 5;
        INDArray xp = random(11, 1.5, DataType.DOUBLE, batch, length, 3 * D);
        INDArray u = random(12, 0.9, DataType.DOUBLE, D, 3 * D);
        INDArray bh = random(13, 0.5, DataType.DOUBLE, 3 * D);
        SameDiff sd = graph(xp, u, bh);
        // every element of every input (150 + 75 + 15)
        GradientCheck.Result result = GradientCheck.check(sd, Map.of(), "loss", List.of("xp", "u", "bh"),
                1e-6, 1e-6, 1e-8, 1000, 1L);
        assertTrue(result.passed(), result.toString());
        assertEquals(batch * length * 3 * D + 3 * D * D + 3 * D, result.checked());
    }

    @Test
    void gradients_float_matchDoubleGradients() {
        INDArray xp = random(14, 1.5, DataType.DOUBLE, BATCH, LENGTH, 3 * D);
        INDArray u = random(15, 0.9, DataType.DOUBLE, D, 3 * D);
        INDArray bh = random(16, 0.5, DataType.DOUBLE, 3 * D);
        Map<String, INDArray> inDouble = graph(xp, u, bh).calculateGradients(Map.of(), "xp", "u", "bh");
        Map<String, INDArray> inFloat = graph(xp.castTo(DataType.FLOAT), u.castTo(DataType.FLOAT),
                bh.castTo(DataType.FLOAT)).calculateGradients(Map.of(), "xp", "u", "bh");
        for (String name : List.of("xp", "u", "bh")) {
            assertEquals(DataType.FLOAT, inFloat.get(name).dataType(), name);
            double diff = inDouble.get(name).sub(inFloat.get(name).castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
            assertTrue(diff < 1e-4, name + ": float gradient differs from double by " + diff);
        }
    }

    @Test
    void backward_isIdenticalForEveryRun() {
        INDArray xp = random(17, 1.0, DataType.FLOAT, 16, LENGTH, 3 * D);
        INDArray u = random(18, 0.9, DataType.FLOAT, D, 3 * D);
        INDArray bh = random(19, 0.5, DataType.FLOAT, 3 * D);
        INDArray h = Nd4j.exec(new GruOp(xp, u, bh))[0];
        INDArray dh = random(20, 1.0, DataType.FLOAT, 16, LENGTH, D);
        INDArray[] first = Nd4j.exec(new GruBackwardOp(xp, u, bh, h, dh));
        for (int run = 0; run < 3; run++) {
            INDArray[] again = Nd4j.exec(new GruBackwardOp(xp, u, bh, h, dh));
            for (int i = 0; i < 3; i++) {
                assertEquals(first[i], again[i], "output " + i + " of run " + run);
            }
        }
    }

    @Test
    void forward_wrongRecurrentWeightShape_failsNamingTheInput() {
        INDArray xp = random(21, 1.0, DataType.FLOAT, 2, 3, 3 * D);
        INDArray u = random(22, 1.0, DataType.FLOAT, D, 2 * D);
        INDArray bh = random(23, 1.0, DataType.FLOAT, 3 * D);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nd4j.exec(new GruOp(xp, u, bh)));
        assertTrue(e.getMessage().contains("u must have shape (5, 15)"), e.getMessage());
    }

    @Test
    void forward_inputWidthNotAMultipleOfThree_fails() {
        INDArray xp = random(24, 1.0, DataType.FLOAT, 2, 3, 8);
        INDArray u = random(25, 1.0, DataType.FLOAT, D, 3 * D);
        INDArray bh = random(26, 1.0, DataType.FLOAT, 3 * D);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nd4j.exec(new GruOp(xp, u, bh)));
        assertTrue(e.getMessage().contains("(batch, length, 3d)"), e.getMessage());
    }
}
