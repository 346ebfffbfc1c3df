package io.seqbench.architectures.s4;

import io.seqbench.architectures.Graph;
import io.seqbench.architectures.MixerContext;
import io.seqbench.architectures.MixerState;
import io.seqbench.architectures.Parameters;
import io.seqbench.kernels.op.DenseArrays;
import io.seqbench.kernels.op.JavaOps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S4MixerTest {
    private static final int CHANNELS = 4;

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    /** One mixer on its own parameters, with its graph at (batch, length). */
    record Harness(S4Mixer mixer, Parameters parameters, SameDiff sd, SDVariable output, SDVariable kernelVariable,
                   int batch, int length) {
        static Harness create(S4Mixer.Config config, int batch, int length, DataType type, long seed) {
            Parameters p = new Parameters(seed, type);
            S4Mixer mixer = new S4Mixer(config, new MixerContext(CHANNELS, 0, 1, length, p));
            SameDiff sd = SameDiff.create();
            for (Map.Entry<String, INDArray> e : p.all().entrySet()) {
                sd.var(e.getKey(), e.getValue());
            }
            Graph g = new Graph(sd, batch, length, type);
            SDVariable x = sd.placeHolder("x", type, batch, length, CHANNELS);
            SDVariable out = mixer.forward(g, x);
            SDVariable kernel = mixer.kernel(g, length);
            return new Harness(mixer, p, sd, out, kernel, batch, length);
        }

        INDArray forward(INDArray x) {
            return sd.output(Map.of("x", x), output.name()).get(output.name());
        }

        INDArray kernel() {
            // the kernel does not depend on x, but SameDiff wants every placeholder
            INDArray x = Nd4j.zeros(parameters.dataType(), batch, length, CHANNELS);
            return sd.output(Map.of("x", x), kernelVariable.name()).get(kernelVariable.name());
        }
    }

    static INDArray randomInput(long seed, int batch, int length, DataType type) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[batch * length * CHANNELS];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * r.nextDouble() - 1;
        }
        return Nd4j.createFromArray(v).reshape(batch, length, CHANNELS).castTo(type);
    }

    /** The largest |step output − parallel output| over all positions, relative to max(1, max |output|). */
    static double recurrentVsConvolution(S4Mixer.Config config, int batch, int length, DataType type, long seed) {
        Harness h = Harness.create(config, batch, length, type, seed);
        INDArray x = randomInput(seed + 1, batch, length, type);
        INDArray parallel = h.forward(x);
        MixerState state = h.mixer().initialState(batch);
        double worst = 0;
        double scale = Math.max(1, parallel.amaxNumber().doubleValue());
        for (int t = 0; t < length; t++) {
            INDArray xt = x.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).dup();
            INDArray yt = h.mixer().step(state, xt);
            INDArray expected = parallel.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all());
            worst = Math.max(worst, yt.sub(expected).amaxNumber().doubleValue());
        }
        assertEquals(h.mixer().stateSize(length), state.elementsPerSequence());
        return worst / scale;
    }

    @Test
    void config_badValues_failNamingTheField() {
        String[][] cases = {
                {"state", "7"}, {"state", "0"}, {"dt_min", "0"}, {"dt_max", "0.0001"}, {"init", null},
                {"discretization", null}};
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                int state = c[0].equals("state") ? Integer.parseInt(c[1]) : 64;
                double dtMin = c[0].equals("dt_min") ? Double.parseDouble(c[1]) : 1e-3;
                double dtMax = c[0].equals("dt_max") ? Double.parseDouble(c[1]) : 1e-1;
                StateMatrixInit init = c[0].equals("init") ? null : StateMatrixInit.LEGS;
                Discretization disc = c[0].equals("discretization") ? null : Discretization.ZOH;
                new S4Mixer.Config(state, init, disc, dtMin, dtMax);
            });
            assertTrue(e.getMessage().startsWith(c[0] + ":"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new S4Mixer.Config(8, StateMatrixInit.LIN, Discretization.ZOH, Double.NaN, 0.1));
    }

    @Test
    void convolutionMode_equalsRecurrentMode_forEveryInitAndDiscretization() {
        long seed = 1;
        for (StateMatrixInit init : StateMatrixInit.values()) {
            for (Discretization disc : Discretization.values()) {
                // forward Euler is stable only while |1 + ΔA| < 1: N = 8 and Δ ≤ 1e-3 keep every init inside
                boolean euler = disc == Discretization.EULER;
                S4Mixer.Config config = new S4Mixer.Config(euler ? 8 : 64, init, disc, euler ? 1e-4 : 1e-3,
                        euler ? 1e-3 : 1e-1);
                double diff = recurrentVsConvolution(config, 2, 37, DataType.DOUBLE, seed++);
                assertTrue(diff < 1e-10, init + " " + disc + ": step differs from convolution by " + diff);
            }
        }
    }

    @Test
    void convolutionMode_equalsRecurrentMode_inFloatAtLength300() {
        double diff = recurrentVsConvolution(S4Mixer.Config.DEFAULTS, 2, 300, DataType.FLOAT, 7);
        assertTrue(diff <= 1e-4, "float step differs from float convolution by " + diff);
    }

    @Test
    void kernel_equalsImpulseResponseOfTheRecurrence() {
        for (Discretization disc : Discretization.values()) {
            S4Mixer.Config config = new S4Mixer.Config(16, StateMatrixInit.LEGS, disc, 1e-3, 1e-1);
            int length = 50;
            Harness h = Harness.create(config, 1, length, DataType.DOUBLE, 3);
            double[] k = DenseArrays.toDoubles(h.kernel());                                   // (H, L)
            double[][] d = h.mixer().discretize();
            double[] cRe = DenseArrays.toDoubles(h.parameters().get("layers.0.mixer.c_re"));
            double[] cIm = DenseArrays.toDoubles(h.parameters().get("layers.0.mixer.c_im"));
            int modes = 8;
            for (int c = 0; c < CHANNELS; c++) {
                double[] hRe = new double[modes];
                double[] hIm = new double[modes];
                for (int l = 0; l < length; l++) {
                    double y = 0;
                    for (int m = 0; m < modes; m++) {
                        int i = c * modes + m;
                        // impulse u = δ_0: h_0 = B̄, h_l = Ā h_{l−1}
                        double nr = l == 0 ? d[2][i] : d[0][i] * hRe[m] - d[1][i] * hIm[m];
                        double ni = l == 0 ? d[3][i] : d[0][i] * hIm[m] + d[1][i] * hRe[m];
                        hRe[m] = nr;
                        hIm[m] = ni;
                        y += 2 * (cRe[i] * nr - cIm[i] * ni);
                    }
                    assertEquals(y, k[c * length + l], 1e-12 * Math.max(1, Math.abs(y)),
                            disc + " channel " + c + " tap " + l);
                }
            }
        }
    }

    @Test
    void sizes_matchTheDocumentedFormulas() {
        for (int state : new int[]{8, 64}) {
            S4Mixer.Config config = new S4Mixer.Config(state, StateMatrixInit.LIN, Discretization.ZOH, 1e-3, 1e-1);
            Parameters p = new Parameters(1, DataType.FLOAT);
            S4Mixer mixer = new S4Mixer(config, new MixerContext(CHANNELS, 0, 1, 16, p));
            long h = CHANNELS;
            assertEquals(2 * h * h + 3 * h * state + 4 * h, p.count("layers.0.mixer."));
            assertEquals(h * state, mixer.stateSize(1));
            assertEquals(h * state, mixer.stateSize(16384));
        }
    }

    @Test
    void construction_logDt_isLogUniformInRange_andAIsSharedAcrossChannels() {
        S4Mixer.Config config = new S4Mixer.Config(8, StateMatrixInit.LIN, Discretization.ZOH, 2e-3, 5e-2);
        Parameters p = new Parameters(9, DataType.DOUBLE);
        new S4Mixer(config, new MixerContext(64, 0, 1, 16, p));
        double[] logDt = DenseArrays.toDoubles(p.get("layers.0.mixer.log_dt"));
        double low = Double.MAX_VALUE;
        double high = -Double.MAX_VALUE;
        for (double v : logDt) {
            assertTrue(v >= Math.log(2e-3) && v <= Math.log(5e-2), "log Δ " + v + " outside the range");
            low = Math.min(low, v);
            high = Math.max(high, v);
        }
        assertTrue(high - low > 0.5 * (Math.log(5e-2) - Math.log(2e-3)), "Δ should spread over the range");
        INDArray logARe = p.get("layers.0.mixer.log_a_real");
        INDArray aIm = p.get("layers.0.mixer.a_imag");
        for (int c = 0; c < 64; c++) {
            for (int m = 0; m < 4; m++) {
                assertEquals(Math.log(0.5), logARe.getDouble(c, m), 1e-15);     // S4D-Lin: A = −½ + iπm
                assertEquals(Math.PI * m, aIm.getDouble(c, m), 1e-15);
            }
        }
    }

    @Test
    void stateMatrixInit_matchesThePaperFormulas() {
        StateMatrixInit.Modes real = StateMatrixInit.REAL.modes(6);
        StateMatrixInit.Modes lin = StateMatrixInit.LIN.modes(6);
        StateMatrixInit.Modes legs = StateMatrixInit.LEGS.modes(6);
        for (int m = 0; m < 3; m++) {
            assertEquals(-(m + 1), real.aRe()[m], 0.0);
            assertEquals(0.0, real.aIm()[m], 0.0);
            assertEquals(-0.5, lin.aRe()[m], 0.0);
            assertEquals(Math.PI * m, lin.aIm()[m], 1e-15);
            assertEquals(1.0, lin.bRe()[m], 0.0);
            assertEquals(-0.5, legs.aRe()[m], 1e-12);
            assertTrue(legs.aIm()[m] > 0);
        }
    }
}
