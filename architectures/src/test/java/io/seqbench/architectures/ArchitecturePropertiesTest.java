package io.seqbench.architectures;

import io.seqbench.kernels.op.JavaOps;
import io.seqbench.kernels.testing.GradientCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The properties every registered architecture must have (DESIGN.md, "Quality bars"), checked in one
 * parameterized test over the registry, so a new family is covered the moment it is registered.
 */
class ArchitecturePropertiesTest {
    private static final int VOCAB = 7;
    private static final int BATCH = 2;
    private static final int LENGTH = 9;

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    /** One registered architecture in one of its tested configurations. */
    record Variant(ArchitectureType<?> type, Record mixer) {
        @Override
        public String toString() {
            return type.key() + (mixer.equals(type.defaults()) ? "" : " " + mixer);
        }
    }

    static Stream<Variant> architectures() {
        return Architectures.all().stream()
                .flatMap(t -> t.testedConfigs().stream().map(c -> new Variant(t, (Record) c)));
    }

    /** A tiny model: d_model 8, 2 layers, an MLP, so every backbone path is exercised. */
    static Backbone tiny(Variant v, long seed, DataType dtype) {
        ModelConfig config = new ModelConfig(v.type().key(), 8, 2, NormKind.LAYERNORM, 2, v.mixer());
        return new Backbone(config, VOCAB, LENGTH, seed, dtype);
    }

    static INDArray tokens(long seed, int batch, int length) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] t = new int[batch][length];
        for (int[] row : t) {
            for (int i = 0; i < length; i++) {
                row[i] = r.nextInt(VOCAB);
            }
        }
        return Nd4j.createFromArray(t);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void logits_shapeIsBatchTimesLengthByVocab(Variant type) {
        Backbone model = tiny(type, 1, DataType.FLOAT);
        INDArray logits = model.graph(BATCH, LENGTH).logits(tokens(3, BATCH, LENGTH));
        assertArrayEquals(new long[]{BATCH * LENGTH, VOCAB}, logits.shape());
        assertTrue(Double.isFinite(logits.sumNumber().doubleValue()), "logits must be finite");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void logits_changingLaterTokens_leavesEarlierOutputsUnchanged(Variant type) {
        Backbone model = tiny(type, 1, DataType.DOUBLE);
        ModelGraph graph = model.graph(1, LENGTH);
        INDArray a = tokens(5, 1, LENGTH);
        for (int t = 0; t < LENGTH - 1; t++) {
            INDArray b = a.dup();
            for (int j = t + 1; j < LENGTH; j++) {
                b.putScalar(0, j, (a.getInt(0, j) + 1 + j % (VOCAB - 1)) % VOCAB);   // never equal to a
            }
            INDArray la = graph.logits(a).get(NDArrayIndex.interval(0, t + 1), NDArrayIndex.all()).dup();
            INDArray lb = graph.logits(b).get(NDArrayIndex.interval(0, t + 1), NDArrayIndex.all()).dup();
            assertEquals(0.0, la.sub(lb).amaxNumber().doubleValue(), 1e-12, "outputs up to " + t + " changed");
            INDArray after = graph.logits(b).getRow(t + 1);
            assertTrue(after.sub(graph.logits(a).getRow(t + 1)).amaxNumber().doubleValue() > 0
                    || t + 1 == LENGTH, "the perturbation must reach position " + (t + 1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void construction_sameSeed_identicalParameters_otherSeedDifferent(Variant type) {
        Map<String, INDArray> a = tiny(type, 11, DataType.FLOAT).parameters().all();
        Map<String, INDArray> b = tiny(type, 11, DataType.FLOAT).parameters().all();
        Map<String, INDArray> c = tiny(type, 12, DataType.FLOAT).parameters().all();
        assertEquals(a.keySet(), b.keySet());
        boolean anyDifferent = false;
        for (String name : a.keySet()) {
            assertEquals(a.get(name), b.get(name), name);
            anyDifferent |= !a.get(name).equals(c.get(name));
        }
        assertTrue(anyDifferent, "a different seed must give different parameters");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void gradients_inDouble_matchFiniteDifferences(Variant type) {
        Backbone model = tiny(type, 2, DataType.DOUBLE);
        ModelGraph graph = model.graph(BATCH, LENGTH);
        INDArray tokens = tokens(7, BATCH, LENGTH);
        INDArray targets = tokens(8, 1, BATCH * LENGTH).reshape(BATCH * LENGTH);
        INDArray mask = Nd4j.rand(DataType.DOUBLE, BATCH * LENGTH).gt(0.3).castTo(DataType.DOUBLE);
        var result = GradientCheck.check(graph.sameDiff(), Map.of(ModelGraph.TOKENS, tokens,
                        ModelGraph.TARGETS, targets, ModelGraph.MASK, mask), ModelGraph.LOSS,
                new ArrayList<>(model.parameters().all().keySet()), 1e-6, 1e-4, 1e-9, 12, 3L);
        assertTrue(result.passed(), result.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void step_tokenByToken_equalsParallelForward(Variant type) {
        Backbone model = tiny(type, 4, DataType.DOUBLE);
        INDArray tokens = tokens(9, BATCH, LENGTH);
        INDArray parallel = model.graph(BATCH, LENGTH).logits(tokens).reshape(BATCH, LENGTH, VOCAB);
        Backbone.Generation generation = model.startGeneration(BATCH);
        for (int t = 0; t < LENGTH; t++) {
            INDArray column = tokens.get(NDArrayIndex.all(), NDArrayIndex.point(t)).dup();
            INDArray stepped = model.step(generation, column);
            INDArray expected = parallel.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all());
            double diff = stepped.sub(expected).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-4 * Math.max(1, expected.amaxNumber().doubleValue()),
                    "position " + t + ": step differs from the parallel form by " + diff);
        }
        assertEquals(model.stateSize(LENGTH), generation.elementsPerSequence(),
                "reported state size must equal the state actually held after " + LENGTH + " tokens");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void sizes_arePositiveAndConsistent(Variant type) {
        Backbone model = tiny(type, 1, DataType.FLOAT);
        long perBlock = model.parameters().count("layers.0.mixer.");
        assertTrue(perBlock > 0, "the mixer must own parameters");
        assertEquals(perBlock, model.parameters().count("layers.1.mixer."), "blocks are identical in size");
        assertTrue(model.stateSize(1) > 0 && model.stateSize(1024) >= model.stateSize(1));
        long sum = model.parameters().all().values().stream().mapToLong(INDArray::length).sum();
        assertEquals(sum, model.parameterCount());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void training_oneTinyBatch_overfits(Variant type) {
        Backbone model = tiny(type, 5, DataType.FLOAT);
        ModelGraph graph = model.graph(BATCH, LENGTH);
        INDArray tokens = tokens(10, BATCH, LENGTH);
        INDArray targets = tokens(11, 1, BATCH * LENGTH).reshape(BATCH * LENGTH);
        INDArray mask = Nd4j.ones(DataType.FLOAT, BATCH * LENGTH);
        double first = Double.NaN;
        double last = Double.NaN;
        List<String> names = new ArrayList<>(model.parameters().all().keySet());
        Map<String, INDArray> m = new java.util.HashMap<>();
        Map<String, INDArray> v = new java.util.HashMap<>();
        for (int step = 1; step <= 150; step++) {
            OutAndGrad og = graph.lossAndGradients(tokens, targets, mask);
            double loss = og.getOutputs().get(ModelGraph.LOSS).getDouble(0);
            if (step == 1) {
                first = loss;
            }
            last = loss;
            for (String name : names) {     // plain Adam, lr 1e-2
                INDArray g = og.getGradients().get(name);
                INDArray mt = m.computeIfAbsent(name, k -> g.like()).muli(0.9).addi(g.mul(0.1));
                INDArray vt = v.computeIfAbsent(name, k -> g.like()).muli(0.999).addi(g.mul(g).muli(0.001));
                INDArray mh = mt.div(1 - Math.pow(0.9, step));
                INDArray vh = vt.div(1 - Math.pow(0.999, step));
                model.parameters().get(name).subi(mh.divi(org.nd4j.linalg.ops.transforms.Transforms.sqrt(vh)
                        .addi(1e-8)).muli(1e-2));
            }
        }
        assertTrue(last < 0.1 * first && last < 0.2,
                "loss on one memorisable batch should collapse: " + first + " -> " + last);
    }
}
