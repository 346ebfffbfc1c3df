package io.seqbench.architectures.transformer;

import io.seqbench.architectures.Backbone;
import io.seqbench.architectures.Graph;
import io.seqbench.architectures.MixerContext;
import io.seqbench.architectures.MixerState;
import io.seqbench.architectures.ModelConfig;
import io.seqbench.architectures.NormKind;
import io.seqbench.architectures.Parameters;
import io.seqbench.architectures.transformer.TransformerMixer.Config;
import io.seqbench.architectures.transformer.TransformerMixer.Positions;
import io.seqbench.kernels.op.JavaOps;
import io.seqbench.kernels.testing.GradientCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Transformer family's own tests; the registry-wide properties are in ArchitecturePropertiesTest. */
class TransformerMixerTest {

    @BeforeAll
    static void install() {
        JavaOps.install();   // the backbone's embedding op, for the Backbone-level checks
    }

    /** One mixer compiled alone into a double-precision graph: y = mixer(x) for a placeholder x (B, L, d). */
    record Built(TransformerMixer mixer, Parameters parameters, SameDiff sd, int batch, int length, int d) {
        INDArray forward(INDArray x) {
            return sd.output(Map.of("x", x.castTo(parameters.dataType())), "y").get("y");
        }

        /** The step form over the whole sequence, stacked to (B, L, d). */
        INDArray stepAll(INDArray x) {
            MixerState state = mixer.initialState(batch);
            INDArray out = Nd4j.zeros(parameters.dataType(), batch, length, d);
            for (int t = 0; t < length; t++) {
                INDArray xt = x.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all())
                        .castTo(parameters.dataType()).dup();
                out.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).assign(mixer.step(state, xt));
            }
            return out;
        }
    }

    static Built build(Config config, int d, int maxLength, int batch, int length, long seed) {
        return build(config, d, maxLength, batch, length, seed, DataType.DOUBLE);
    }

    static Built build(Config config, int d, int maxLength, int batch, int length, long seed, DataType type) {
        Parameters parameters = new Parameters(seed, type);
        TransformerMixer mixer = new TransformerMixer(config, new MixerContext(d, 0, 2, maxLength, parameters));
        SameDiff sd = SameDiff.create();
        for (Map.Entry<String, INDArray> p : parameters.all().entrySet()) {
            sd.var(p.getKey(), p.getValue());
        }
        SDVariable x = sd.placeHolder("x", type, batch, length, d);
        SDVariable y = mixer.forward(new Graph(sd, batch, length, type), x);
        sd.updateVariableNameAndReference(y, "y");
        return new Built(mixer, parameters, sd, batch, length, d);
    }

    static INDArray random(long seed, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * r.nextDouble() - 1;
        }
        return Nd4j.createFromArray(v).reshape('c', shape);
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    // ---- a reference in plain Java doubles, written from the equations, independent of the graph ----

    /** Causal multi-head attention of x (B, L, d) by loops; softmax over j ≤ t only, so no mask is involved. */
    static double[][][] reference(double[][][] x, Config c, double[][] wQkv, double[][] wO, double[][] learned) {
        int batch = x.length;
        int length = x[0].length;
        int d = x[0][0].length;
        int dh = d / c.heads();
        double[][][] y = new double[batch][length][d];
        for (int b = 0; b < batch; b++) {
            double[][] q = new double[length][];
            double[][] k = new double[length][];
            double[][] v = new double[length][];
            for (int t = 0; t < length; t++) {
                double[] in = x[b][t].clone();
                for (int j = 0; j < d; j++) {
                    if (c.positions() == Positions.LEARNED) {
                        in[j] += learned[t][j];
                    } else if (c.positions() == Positions.SINUSOIDAL) {   // Vaswani et al. §3.5
                        int i = j / 2;
                        double angle = t / Math.pow(10000.0, 2.0 * i / d);
                        in[j] += j % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
                    }
                }
                double[] proj = new double[3 * d];
                for (int o = 0; o < 3 * d; o++) {
                    for (int j = 0; j < d; j++) {
                        proj[o] += in[j] * wQkv[j][o];
                    }
                }
                q[t] = java.util.Arrays.copyOfRange(proj, 0, d);
                k[t] = java.util.Arrays.copyOfRange(proj, d, 2 * d);
                v[t] = java.util.Arrays.copyOfRange(proj, 2 * d, 3 * d);
                if (c.positions() == Positions.ROPE) {
                    rotatePairs(q[t], t, c.heads(), dh, c.ropeBase());
                    rotatePairs(k[t], t, c.heads(), dh, c.ropeBase());
                }
            }
            for (int t = 0; t < length; t++) {
                double[] concat = new double[d];
                for (int h = 0; h < c.heads(); h++) {
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= t; j++) {
                        for (int e = 0; e < dh; e++) {
                            s[j] += q[t][h * dh + e] * k[j][h * dh + e];
                        }
                        s[j] /= Math.sqrt(dh);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= t; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j <= t; j++) {
                        for (int e = 0; e < dh; e++) {
                            concat[h * dh + e] += s[j] / sum * v[j][h * dh + e];
                        }
                    }
                }
                for (int o = 0; o < d; o++) {
                    for (int j = 0; j < d; j++) {
                        y[b][t][o] += concat[j] * wO[j][o];
                    }
                }
            }
        }
        return y;
    }

    /** Rotates, in each head, the pair (i, i + dh/2) by the angle position·base^(−2i/dh). */
    static void rotatePairs(double[] vector, int position, int heads, int dh, double base) {
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < dh / 2; i++) {
                double angle = position * Math.pow(base, -2.0 * i / dh);
                int a = h * dh + i;
                int b = a + dh / 2;
                double va = vector[a];
                double vb = vector[b];
                vector[a] = va * Math.cos(angle) - vb * Math.sin(angle);
                vector[b] = vb * Math.cos(angle) + va * Math.sin(angle);
            }
        }
    }

    static double[][] learnedTable(Built built) {
        return built.mixer().config().positions() == Positions.LEARNED
                ? built.parameters().get(built.mixer().prefix() + "positions").toDoubleMatrix() : null;
    }

    static INDArray referenceOf(Built built, INDArray x) {
        String p = built.mixer().prefix();
        double[][][] y = reference(toCube(x), built.mixer().config(), built.parameters().get(p + "w_qkv")
                .toDoubleMatrix(), built.parameters().get(p + "w_o").toDoubleMatrix(), learnedTable(built));
        return Nd4j.createFromArray(y);
    }

    static double[][][] toCube(INDArray x) {
        double[][][] c = new double[(int) x.size(0)][(int) x.size(1)][(int) x.size(2)];
        for (int b = 0; b < c.length; b++) {
            for (int t = 0; t < c[0].length; t++) {
                for (int j = 0; j < c[0][0].length; j++) {
                    c[b][t][j] = x.getDouble(b, t, j);
                }
            }
        }
        return c;
    }

    // ---- tests ----

    @Test
    void forward_handComputedThreeTokens_matchesClosedForm() {
        // one head, d = 2, identity projections, learned positions set to zero: pure causal attention
        Built built = build(new Config(1, Positions.LEARNED, 10000.0), 2, 3, 1, 3, 1);
        String p = built.mixer().prefix();
        built.parameters().get(p + "w_qkv").assign(Nd4j.createFromArray(new double[][]{{1, 0, 1, 0, 1, 0},
                {0, 1, 0, 1, 0, 1}}));
        built.parameters().get(p + "w_o").assign(Nd4j.eye(2).castTo(DataType.DOUBLE));
        built.parameters().get(p + "positions").assign(0.0);
        INDArray x = Nd4j.createFromArray(new double[][][]{{{1, 0}, {0, 1}, {1, 1}}});
        double r = 1 / Math.sqrt(2);   // 1/√d_h
        // t = 0: only itself → v0 = (1, 0)
        // t = 1: scores (q1·k0, q1·k1)·r = (0, r) → weights (1, e^r)/(1 + e^r)
        double w10 = 1 / (1 + Math.exp(r));
        double w11 = Math.exp(r) / (1 + Math.exp(r));
        // t = 2: q2 = (1, 1), scores (1, 1, 2)·r → weights (e^r, e^r, e^2r)/Z
        double z = 2 * Math.exp(r) + Math.exp(2 * r);
        double w20 = Math.exp(r) / z;
        double w21 = Math.exp(r) / z;
        double w22 = Math.exp(2 * r) / z;
        INDArray expected = Nd4j.createFromArray(new double[][][]{{{1, 0}, {w10, w11}, {w20 + w22, w21 + w22}}});
        assertEquals(0.0, maxAbsDiff(built.forward(x), expected), 1e-14, "graph form");
        assertEquals(0.0, maxAbsDiff(built.stepAll(x), expected), 1e-14, "KV-cache form");
    }

    @ParameterizedTest
    @EnumSource(Positions.class)
    void forward_randomWeightsTwoHeads_matchesPlainJavaReference(Positions positions) {
        // d = 12, 2 heads of 6 (three RoPE frequencies); table of 7 rows used for 5 positions (a slice)
        Built built = build(Config.DEFAULTS.withPositions(positions).withHeads(2), 12, 7, 2, 5, 3);
        INDArray x = random(4, 2, 5, 12);
        INDArray expected = referenceOf(built, x);
        assertEquals(0.0, maxAbsDiff(built.forward(x), expected), 1e-12, "graph form");
        assertEquals(0.0, maxAbsDiff(built.stepAll(x), expected), 1e-12, "KV-cache form");
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void forward_veryNegativeScores_staysFiniteAndMatchesReference(DataType type) {
        // k = −q and inputs 300× a normalised stream: every diagonal score is far below −745, so at t = 0 (one
        // visible key) the whole softmax row is very negative. ND4J's DOUBLE softmax alone gives NaN there (the
        // mixer shifts by the row maximum in double); its FLOAT softmax is stable, which the mixer relies on.
        Built built = build(Config.DEFAULTS, 8, 6, 1, 6, 5, type);
        INDArray w = built.parameters().get(built.mixer().prefix() + "w_qkv");
        w.get(NDArrayIndex.all(), NDArrayIndex.interval(8, 16)).assign(
                w.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 8)).neg());
        INDArray x = random(6, 1, 6, 8).muli(300.0);
        INDArray expected = referenceOf(built, x.castTo(type).castTo(DataType.DOUBLE));
        double tolerance = type == DataType.DOUBLE ? 1e-10 : 1e-4;
        for (INDArray y : List.of(built.forward(x), built.stepAll(x))) {
            assertFalse(y.isNaN().any() || y.isInfinite().any(), "outputs must be finite: " + y);
            double relative = maxAbsDiff(y.castTo(DataType.DOUBLE), expected) / expected.amaxNumber().doubleValue();
            assertEquals(0.0, relative, tolerance);
        }
    }

    @ParameterizedTest
    @EnumSource(Positions.class)
    void gradients_twoHeadsTableSlice_matchFiniteDifferences(Positions positions) {
        Built built = build(Config.DEFAULTS.withPositions(positions).withHeads(2), 8, 7, 2, 5, 7);
        SDVariable weight = built.sd().constant(random(8, 2, 5, 8));
        built.sd().updateVariableNameAndReference(built.sd().getVariable("y").mul(weight).sum(), "loss");
        built.sd().setLossVariables("loss");
        var result = GradientCheck.check(built.sd(), Map.of("x", random(9, 2, 5, 8)), "loss",
                List.copyOf(built.parameters().all().keySet()), 1e-6, 1e-6, 1e-10, 40, 5L);
        assertTrue(result.passed(), result.toString());
    }

    @Test
    void rope_rotation_preservesNormsAndDotDependsOnlyOnOffset() {
        int length = 12;
        int dh = 8;
        double[][][] tables = TransformerMixer.ropeTables(length, dh, 10000.0);
        SameDiff sd = SameDiff.create();
        SDVariable t = sd.placeHolder("t", DataType.DOUBLE, 2, length, dh);
        SDVariable cos = sd.constant(Nd4j.createFromArray(tables[0]));
        SDVariable sin = sd.constant(Nd4j.createFromArray(tables[1]));
        SDVariable rotated = TransformerMixer.rotateHalves(sd, t, new long[]{2, length, dh}, cos, sin);
        sd.updateVariableNameAndReference(rotated, "r");

        // row 0: the same query u at every position; row 1: the same key w at every position
        INDArray u = random(10, dh);
        INDArray w = random(11, dh);
        INDArray in = Nd4j.zeros(DataType.DOUBLE, 2, length, dh);
        for (int p = 0; p < length; p++) {
            in.get(NDArrayIndex.point(0), NDArrayIndex.point(p), NDArrayIndex.all()).assign(u);
            in.get(NDArrayIndex.point(1), NDArrayIndex.point(p), NDArrayIndex.all()).assign(w);
        }
        INDArray out = sd.output(Map.of("t", in), "r").get("r");
        for (int p = 0; p < length; p++) {
            INDArray qp = out.get(NDArrayIndex.point(0), NDArrayIndex.point(p), NDArrayIndex.all());
            assertEquals(u.norm2Number().doubleValue(), qp.norm2Number().doubleValue(), 1e-12, "norm at " + p);
            INDArray eager = TransformerMixer.rotate(u.reshape(1, dh), TransformerMixer.ropeAngles(p, dh, 10000.0));
            assertEquals(0.0, maxAbsDiff(eager.reshape(dh), qp), 1e-14, "eager rotation at " + p);
        }
        double[][] dot = new double[length][length];
        for (int m = 0; m < length; m++) {
            for (int n = 0; n < length; n++) {
                dot[m][n] = out.get(NDArrayIndex.point(0), NDArrayIndex.point(m), NDArrayIndex.all())
                        .mul(out.get(NDArrayIndex.point(1), NDArrayIndex.point(n), NDArrayIndex.all()))
                        .sumNumber().doubleValue();
            }
        }
        for (int m = 0; m < length; m++) {
            for (int n = 0; n < length; n++) {
                int shift = Math.min(m, n);    // (m, n) and (m − shift, n − shift) have the same offset
                assertEquals(dot[m - shift][n - shift], dot[m][n], 1e-12, "q·k at (" + m + ", " + n + ")");
            }
        }
        assertTrue(Math.abs(dot[1][0] - dot[0][0]) > 1e-3 && Math.abs(dot[3][0] - dot[1][0]) > 1e-3,
                "the rotation must make q·k depend on the offset");
    }

    @Test
    void supportsLength_learnedBeyondTable_refusedWithClearMessage() {
        Parameters parameters = new Parameters(1, DataType.DOUBLE);
        TransformerMixer learned = new TransformerMixer(Config.DEFAULTS.withPositions(Positions.LEARNED),
                new MixerContext(8, 0, 1, 5, parameters));
        assertTrue(learned.supportsLength(5));
        assertFalse(learned.supportsLength(6));
        for (Positions unbounded : List.of(Positions.SINUSOIDAL, Positions.ROPE)) {
            TransformerMixer m = new TransformerMixer(Config.DEFAULTS.withPositions(unbounded),
                    new MixerContext(8, 1, 2, 5, new Parameters(1, DataType.DOUBLE)));
            assertTrue(m.supportsLength(1 << 20), unbounded + " has no maximum length");
        }

        SameDiff sd = SameDiff.create();
        parameters.all().forEach(sd::var);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> learned.forward(
                new Graph(sd, 1, 6, DataType.DOUBLE), sd.placeHolder("x", DataType.DOUBLE, 1, 6, 8)));
        assertTrue(e.getMessage().startsWith("positions: learned positions have a table of 5 rows")
                && e.getMessage().contains("length 6"), e.getMessage());

        MixerState state = learned.initialState(1);
        for (int t = 0; t < 5; t++) {
            learned.step(state, Nd4j.ones(DataType.DOUBLE, 1, 8));
        }
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> learned.step(state, Nd4j.ones(DataType.DOUBLE, 1, 8)));
        assertTrue(s.getMessage().contains("table of 5 rows"), s.getMessage());

        Backbone model = new Backbone(new ModelConfig(TransformerMixer.TYPE, 8, 1, NormKind.LAYERNORM, 0,
                Config.DEFAULTS.withPositions(Positions.LEARNED)), 5, 5, 1, DataType.FLOAT);
        assertFalse(model.supportsLength(6));
        assertThrows(IllegalArgumentException.class, () -> model.graph(1, 6));
    }

    @Test
    void step_beyondInitialCapacity_stateGrowsLinearlyAndMatchesParallel() {
        int length = 40;   // the cache starts at 16 positions and doubles twice
        Built built = build(Config.DEFAULTS, 8, length, 2, length, 12);
        INDArray x = random(13, 2, length, 8);
        INDArray parallel = built.forward(x);
        MixerState state = built.mixer().initialState(2);
        assertEquals(0, state.elementsPerSequence());
        for (int t = 0; t < length; t++) {
            INDArray y = built.mixer().step(state,
                    x.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).dup());
            assertEquals(2L * (t + 1) * 8, state.elementsPerSequence(), "keys and values of " + (t + 1) + " tokens");
            assertEquals(built.mixer().stateSize(t + 1), state.elementsPerSequence());
            INDArray expected = parallel.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all());
            assertEquals(0.0, maxAbsDiff(y, expected), 1e-12, "position " + t);
        }
        assertEquals(64, ((TransformerMixer.KvCache) state).capacity());
    }

    @Test
    void parameters_count_matchesFormula() {
        for (Positions positions : Positions.values()) {
            Parameters p = new Parameters(1, DataType.FLOAT);
            new TransformerMixer(Config.DEFAULTS.withPositions(positions), new MixerContext(64, 0, 2, 1024, p));
            long expected = 4L * 64 * 64 + (positions == Positions.LEARNED ? 1024L * 64 : 0);
            assertEquals(expected, p.count(), positions.toString());
        }
    }

    @Test
    void config_badValues_rejectedNamingTheField() {
        assertMessage("heads: must be ≥ 1", () -> new Config(0, Positions.ROPE, 10000.0));
        assertMessage("positions: must be one of learned, sinusoidal, rope", () -> new Config(4, null, 10000.0));
        assertMessage("rope_base: must be a finite number > 1", () -> new Config(4, Positions.ROPE, 1.0));
        assertMessage("rope_base:", () -> new Config(4, Positions.ROPE, Double.NaN));
        assertMessage("rope_base:", () -> new Config(4, Positions.ROPE, Double.POSITIVE_INFINITY));
        assertMessage("heads: d_model 10 must be divisible by heads, got heads 4", () -> new TransformerMixer(
                new Config(4, Positions.LEARNED, 10000.0), new MixerContext(10, 0, 1, 8, new Parameters(1,
                        DataType.FLOAT))));
        assertMessage("heads: rope positions need an even head size", () -> new TransformerMixer(
                new Config(2, Positions.ROPE, 10000.0), new MixerContext(6, 0, 1, 8, new Parameters(1,
                        DataType.FLOAT))));
        // an odd head size is fine without RoPE
        new TransformerMixer(new Config(2, Positions.SINUSOIDAL, 10000.0),
                new MixerContext(6, 0, 1, 8, new Parameters(1, DataType.FLOAT)));
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable construction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
