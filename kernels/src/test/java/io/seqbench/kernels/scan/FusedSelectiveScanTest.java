package io.seqbench.kernels.scan;

import io.seqbench.kernels.scan.FusedSelectiveScan.ChunkParallelism;
import io.seqbench.kernels.scan.ScanFixtures.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FusedSelectiveScanTest {
    static final double TOLERANCE = 1e-4;
    private static final List<FusedSelectiveScan> CREATED = new ArrayList<>();

    @AfterAll
    static void closePools() {
        CREATED.forEach(FusedSelectiveScan::close);
    }

    static FusedSelectiveScan scan(int threads, int chunk, RowKernel kernel, ChunkParallelism mode) {
        FusedSelectiveScan s = FusedSelectiveScan.create(threads, chunk, kernel, mode);
        CREATED.add(s);
        return s;
    }

    static RowKernel vectorKernel() {
        assertTrue(FusedSelectiveScan.vectorized(), "the test JVM runs with --add-modules jdk.incubator.vector");
        return new VectorRowKernel();
    }

    /** A case: shape, optional inputs, chunk length, threads, kernel, path. */
    record Case(ScanShape shape, Options options, int chunk, int threads, String kernel, ChunkParallelism mode) {
        @Override
        public String toString() {
            return "b" + shape.batch() + " d" + shape.channels() + " l" + shape.length() + " n" + shape.state() + " g"
                    + shape.groups() + " " + options + " chunk" + chunk + " t" + threads + " " + kernel + " " + mode;
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        ScanShape[] shapes = {
                new ScanShape(1, 1, 1, 1, 0),     // length 1, state 1
                new ScanShape(2, 3, 1, 4, 1),     // length 1
                new ScanShape(2, 4, 37, 16, 2),   // 37 = 2·16 + 5 (chunk 16)
                new ScanShape(1, 6, 50, 4, 0),
                new ScanShape(2, 2, 23, 64, 2),
                new ScanShape(3, 5, 41, 1, 1),
                new ScanShape(1, 4, 300, 16, 0),  // default chunk 256: one full and one partial chunk
                new ScanShape(2, 8, 19, 16, 1),
                // at least one SIMD width of channels per group: the forward scans blocks of channels
                new ScanShape(2, 40, 37, 16, 2),  // 20 channels per group: one block + 4 rows
                new ScanShape(1, 32, 70, 4, 0),
                new ScanShape(2, 16, 19, 64, 1),
                new ScanShape(1, 48, 1, 1, 3),    // length 1, state 1, 16 channels per group
        };
        // every combination of D, z, delta_bias, softplus, spread over the shapes
        int i = 0;
        for (int mask = 0; mask < 16; mask++) {
            Options o = new Options((mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0, (mask & 8) != 0);
            for (int rep = 0; rep < 3; rep++) {
                ScanShape s = shapes[i % shapes.length];
                int chunk = s.length() >= 300 ? FusedSelectiveScan.DEFAULT_CHUNK_LENGTH : (i % 3 == 0 ? 7 : 16);
                String kernel = i % 4 == 3 ? "scalar" : "vector";
                ChunkParallelism mode = i % 5 == 2 ? ChunkParallelism.ALWAYS : ChunkParallelism.NEVER;
                int threads = i % 2 == 0 ? 1 : 3;
                cases.add(new Case(s, o, chunk, threads, kernel, mode));
                i++;
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndBackward_randomCase_matchReference(Case c) {
        ScanInputs in = ScanFixtures.randomFloat(c.shape(), c.options(), 100 + c.hashCode());
        FusedSelectiveScan fused = scan(c.threads(), c.chunk(),
                c.kernel().equals("vector") ? vectorKernel() : new ScalarRowKernel(), c.mode());
        ScanShape s = c.shape();
        float[] dout = ScanFixtures.normalFloat(7, (int) s.sequenceElements());
        float[] dLast = ScanFixtures.normalFloat(8, s.batch() * s.channels() * s.state());

        ScanOutputs expected = SelectiveScanReference.forward(in, true);
        ScanOutputs actual = fused.forward(in, true);
        assertClose("out", actual.out(), expected.out());
        assertClose("lastState", actual.lastState(), expected.lastState());

        ScanGradients eg = SelectiveScanReference.backward(in, dout, dLast);
        ScanGradients ag = fused.backward(in, dout, dLast);
        assertGradientsClose(ag, eg);
    }

    static void assertGradientsClose(ScanGradients actual, ScanGradients expected) {
        assertClose("du", actual.du(), expected.du());
        assertClose("ddelta", actual.ddelta(), expected.ddelta());
        assertClose("dA", actual.da(), expected.da());
        assertClose("dB", actual.db(), expected.db());
        assertClose("dC", actual.dc(), expected.dc());
        assertClose("dD", actual.dd(), expected.dd());
        assertClose("dz", actual.dz(), expected.dz());
        assertClose("ddelta_bias", actual.ddeltaBias(), expected.ddeltaBias());
    }

    static void assertClose(String name, float[] actual, float[] expected) {
        if (expected == null) {
            assertNull(actual, name + " should be absent");
            return;
        }
        assertNotNull(actual, name);
        double err = ScanFixtures.relativeError(actual, expected);
        assertTrue(err <= TOLERANCE, name + ": relative error " + err + " > " + TOLERANCE);
    }

    @Test
    void backward_withoutLastStateGradient_matchesReference() {
        ScanShape s = new ScanShape(2, 3, 45, 16, 0);
        ScanInputs in = ScanFixtures.randomFloat(s, Options.ALL, 3);
        float[] dout = ScanFixtures.normalFloat(4, (int) s.sequenceElements());
        assertGradientsClose(scan(2, 16, vectorKernel(), ChunkParallelism.NEVER).backward(in, dout),
                SelectiveScanReference.backward(in, dout));
    }

    @Test
    void forward_withoutLastState_returnsNoState() {
        ScanInputs in = ScanFixtures.randomFloat(new ScanShape(1, 2, 5, 4, 0), Options.NONE, 1);
        assertNull(FusedSelectiveScan.create(1).forward(in, false).lastState());
    }

    @Test
    void rowPath_anyThreadCount_bitwiseIdentical() {
        ScanShape s = new ScanShape(3, 7, 90, 16, 0);
        ScanInputs in = ScanFixtures.randomFloat(s, Options.ALL, 21);
        float[] dout = ScanFixtures.normalFloat(22, (int) s.sequenceElements());
        ScanOutputs one = scan(1, 32, vectorKernel(), ChunkParallelism.NEVER).forward(in, true);
        ScanGradients g1 = scan(1, 32, vectorKernel(), ChunkParallelism.NEVER).backward(in, dout);
        for (int threads : new int[]{2, 3, 5}) {
            FusedSelectiveScan f = scan(threads, 32, vectorKernel(), ChunkParallelism.NEVER);
            assertArrayEquals(one.out(), f.forward(in, true).out(), "out, " + threads + " threads");
            assertArrayEquals(one.lastState(), f.forward(in, true).lastState());
            assertBitwiseEqual(g1, f.backward(in, dout), threads + " threads");
        }
    }

    @Test
    void blockPath_anyThreadCount_bitwiseIdenticalAndCloseToReference() {
        assertTrue(vectorKernel().blockWidth() > 1);
        ScanShape s = new ScanShape(3, 2 * vectorKernel().blockWidth() + 5, 90, 16, 0);
        ScanInputs in = ScanFixtures.randomFloat(s, Options.ALL, 23);
        ScanOutputs one = scan(1, 32, vectorKernel(), ChunkParallelism.NEVER).forward(in, true);
        for (int threads : new int[]{2, 3}) {
            ScanOutputs many = scan(threads, 32, vectorKernel(), ChunkParallelism.NEVER).forward(in, true);
            assertArrayEquals(one.out(), many.out(), threads + " threads");
            assertArrayEquals(one.lastState(), many.lastState(), threads + " threads");
        }
        ScanOutputs expected = SelectiveScanReference.forward(in, true);
        assertClose("out", one.out(), expected.out());
        assertClose("lastState", one.lastState(), expected.lastState());
        // the checkpoints of the block path are the states the backward starts from
        FloatBuffer ckpt = FloatBuffer.allocate(s.batch() * s.channels() * 3 * s.state());
        scan(1, 32, vectorKernel(), ChunkParallelism.NEVER).forward(ScanBuffers.of(in), null, null, ckpt);
        FloatBuffer rowCkpt = FloatBuffer.allocate(ckpt.capacity());
        scan(1, 32, new ScalarRowKernel(), ChunkParallelism.NEVER).forward(ScanBuffers.of(in), null, null, rowCkpt);
        assertClose("checkpoints", ckpt.array(), rowCkpt.array());
    }

    @Test
    void chunkPath_anyThreadCount_bitwiseIdenticalAndCloseToRowPath() {
        ScanShape s = new ScanShape(1, 1, 200, 16, 0);
        ScanInputs in = ScanFixtures.randomFloat(s, Options.ALL, 31);
        float[] dout = ScanFixtures.normalFloat(32, (int) s.sequenceElements());
        FusedSelectiveScan base = scan(1, 24, vectorKernel(), ChunkParallelism.ALWAYS);
        ScanOutputs o1 = base.forward(in, true);
        ScanGradients g1 = base.backward(in, dout);
        for (int threads : new int[]{2, 4}) {
            FusedSelectiveScan f = scan(threads, 24, vectorKernel(), ChunkParallelism.ALWAYS);
            assertArrayEquals(o1.out(), f.forward(in, true).out());
            assertBitwiseEqual(g1, f.backward(in, dout), threads + " threads");
        }
        ScanOutputs rows = scan(1, 24, vectorKernel(), ChunkParallelism.NEVER).forward(in, true);
        assertClose("out (chunk vs row path)", o1.out(), rows.out());
    }

    @Test
    void autoMode_fewerRowsThanThreads_takesChunkPathAndMatchesReference() {
        // 2 rows, 4 threads: AUTO runs the chunk-parallel path
        ScanShape s = new ScanShape(1, 2, 130, 4, 0);
        ScanInputs in = ScanFixtures.randomFloat(s, Options.ALL, 41);
        float[] dout = ScanFixtures.normalFloat(42, (int) s.sequenceElements());
        FusedSelectiveScan auto = scan(4, 16, vectorKernel(), ChunkParallelism.AUTO);
        FusedSelectiveScan chunked = scan(1, 16, vectorKernel(), ChunkParallelism.ALWAYS);
        assertArrayEquals(chunked.forward(in, false).out(), auto.forward(in, false).out());
        assertClose("out", auto.forward(in, false).out(), SelectiveScanReference.forward(in, false).out());
        assertGradientsClose(auto.backward(in, dout), SelectiveScanReference.backward(in, dout));
    }

    @Test
    void backward_withForwardCheckpoints_equalsBackwardThatRecomputesThem() {
        ScanShape s = new ScanShape(2, 3, 70, 16, 1);
        ScanInputs in = ScanFixtures.randomFloat(s, Options.ALL, 51);
        float[] dout = ScanFixtures.normalFloat(52, (int) s.sequenceElements());
        FusedSelectiveScan f = scan(2, 16, vectorKernel(), ChunkParallelism.NEVER);
        ScanBuffers buffers = ScanBuffers.of(in);
        int nc = f.checkpointsPerRow(s.length());
        assertEquals(5, nc);
        FloatBuffer ckpt = FloatBuffer.allocate(s.batch() * s.channels() * nc * s.state());
        FloatBuffer out = FloatBuffer.allocate((int) s.sequenceElements());
        f.forward(buffers, out, null, ckpt);
        // checkpoint 0 of every row is the zero initial state; checkpoint k is h_{16k−1}
        for (int i = 0; i < s.state(); i++) {
            assertEquals(0f, ckpt.get(i));
        }
        ScanGradients saved = ScanGradientBuffers.allocate(in);
        f.backward(buffers, ckpt, FloatBuffer.wrap(dout), null, ScanGradientBuffers.of(saved));
        assertBitwiseEqual(f.backward(in, dout), saved, "saved vs recomputed checkpoints");
    }

    @Test
    void checkpoints_holdTheReferenceStatesAtChunkStarts() {
        ScanShape s = new ScanShape(1, 2, 20, 4, 0);
        ScanInputs in = ScanFixtures.randomFloat(s, Options.NONE, 61);
        FusedSelectiveScan f = scan(1, 8, vectorKernel(), ChunkParallelism.NEVER);
        FloatBuffer ckpt = FloatBuffer.allocate(2 * 3 * 4);
        f.forward(ScanBuffers.of(in), null, null, ckpt);
        // state at the start of chunk 2 = last state of the first 16 steps
        ScanShape prefix = new ScanShape(1, 2, 16, 4, 0);
        float[][] cut = new float[4][];
        int k = 0;
        for (float[] full : new float[][]{in.u(), in.delta(), in.b(), in.c()}) {
            int rows = full.length / 20;
            cut[k] = new float[rows * 16];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(full, r * 20, cut[k], r * 16, 16);
            }
            k++;
        }
        ScanInputs head = new ScanInputs(prefix, cut[0], cut[1], in.a(), cut[2], cut[3], null, null, null, false);
        float[] expected = SelectiveScanReference.forward(head, true).lastState();
        for (int r = 0; r < 2; r++) {
            for (int n = 0; n < 4; n++) {
                assertEquals(expected[r * 4 + n], ckpt.get((r * 3 + 2) * 4 + n), 1e-5, "row " + r + " n " + n);
            }
        }
    }

    @Test
    void scalarAndVectorKernels_agreeWithinRounding() {
        ScanShape s = new ScanShape(2, 5, 33, 16, 0);
        ScanInputs in = ScanFixtures.randomFloat(s, Options.ALL, 71);
        float[] dout = ScanFixtures.normalFloat(72, (int) s.sequenceElements());
        FusedSelectiveScan vector = scan(1, 16, vectorKernel(), ChunkParallelism.NEVER);
        FusedSelectiveScan scalar = scan(1, 16, new ScalarRowKernel(), ChunkParallelism.NEVER);
        double err = ScanFixtures.relativeError(scalar.forward(in, false).out(), vector.forward(in, false).out());
        assertTrue(err < 1e-6, "relative difference " + err);
        ScanGradients gv = vector.backward(in, dout);
        ScanGradients gs = scalar.backward(in, dout);
        assertTrue(ScanFixtures.relativeError(gs.da(), gv.da()) < 1e-5);
        assertTrue(ScanFixtures.relativeError(gs.db(), gv.db()) < 1e-5);
    }

    /** A JVM without jdk.incubator.vector runs the scalar kernel, says so, and gets the same results. */
    @Test
    void jvmWithoutVectorModule_fallsBackToScalarKernel() throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ScalarFallbackMain.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("backend=scalar Java"), output);
        assertTrue(output.contains("vectorized=false"), output);
        assertTrue(output.contains("jdk.incubator.vector is not in this JVM"), "a warning says so: " + output);
        for (String key : new String[]{"forwardError=", "dAError="}) {
            String value = output.substring(output.indexOf(key) + key.length()).split("\\s")[0];
            assertTrue(Double.parseDouble(value) < TOLERANCE, key + value);
        }
    }

    @Test
    void forward_bufferTooSmall_throwsNamingIt() {
        ScanShape s = new ScanShape(1, 2, 5, 4, 0);
        ScanInputs in = ScanFixtures.randomFloat(s, Options.NONE, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                FusedSelectiveScan.create(1).forward(ScanBuffers.of(in), FloatBuffer.allocate(9), null, null));
        assertTrue(e.getMessage().contains("out") && e.getMessage().contains("10"), e.getMessage());
    }

    @Test
    void create_zeroThreads_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FusedSelectiveScan.create(0));
        assertTrue(e.getMessage().contains("threads"), e.getMessage());
    }

    @Test
    void defaultThreads_badProperty_throwsNamingIt() {
        String old = System.getProperty(FusedSelectiveScan.THREADS_PROPERTY);
        try {
            System.setProperty(FusedSelectiveScan.THREADS_PROPERTY, "two");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    FusedSelectiveScan::defaultThreads);
            assertTrue(e.getMessage().contains(FusedSelectiveScan.THREADS_PROPERTY), e.getMessage());
            System.setProperty(FusedSelectiveScan.THREADS_PROPERTY, "3");
            assertEquals(3, FusedSelectiveScan.defaultThreads());
        } finally {
            if (old == null) {
                System.clearProperty(FusedSelectiveScan.THREADS_PROPERTY);
            } else {
                System.setProperty(FusedSelectiveScan.THREADS_PROPERTY, old);
            }
        }
    }

    static void assertBitwiseEqual(ScanGradients expected, ScanGradients actual, String what) {
        assertArrayEquals(expected.du(), actual.du(), "du " + what);
        assertArrayEquals(expected.ddelta(), actual.ddelta(), "ddelta " + what);
        assertArrayEquals(expected.da(), actual.da(), "dA " + what);
        assertArrayEquals(expected.db(), actual.db(), "dB " + what);
        assertArrayEquals(expected.dc(), actual.dc(), "dC " + what);
        assertArrayEquals(expected.dd(), actual.dd(), "dD " + what);
        assertArrayEquals(expected.dz(), actual.dz(), "dz " + what);
        assertArrayEquals(expected.ddeltaBias(), actual.ddeltaBias(), "ddelta_bias " + what);
    }
}
