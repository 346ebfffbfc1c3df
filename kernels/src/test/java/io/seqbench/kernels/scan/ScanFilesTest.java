package io.seqbench.kernels.scan;

import io.seqbench.kernels.cuda.CudaStatus;
import io.seqbench.kernels.cuda.CudaUnavailableException;
import io.seqbench.kernels.npy.Npy;
import io.seqbench.kernels.npy.NpyArray;
import io.seqbench.kernels.op.JavaOps;
import io.seqbench.kernels.scan.ScanFixtures.Options;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ScanFilesTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    /** Writes the inputs (and dy when given) as .npy files into dir/in. */
    private Path writeInputs(ScanInputs x, float[] dy) throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        ScanShape s = x.shape();
        long[] seq = {s.batch(), s.channels(), s.length()};
        Npy.write(in.resolve("u.npy"), NpyArray.of(x.u(), seq));
        Npy.write(in.resolve("delta.npy"), NpyArray.of(x.delta(), seq));
        Npy.write(in.resolve("A.npy"), NpyArray.of(x.a(), s.channels(), s.state()));
        Npy.write(in.resolve("B.npy"), NpyArray.of(x.b(), s.bcShape()));
        Npy.write(in.resolve("C.npy"), NpyArray.of(x.c(), s.bcShape()));
        if (x.d() != null) {
            Npy.write(in.resolve("D.npy"), NpyArray.of(x.d(), s.channels()));
        }
        if (x.z() != null) {
            Npy.write(in.resolve("z.npy"), NpyArray.of(x.z(), seq));
        }
        if (x.deltaBias() != null) {
            Npy.write(in.resolve("delta_bias.npy"), NpyArray.of(x.deltaBias(), s.channels()));
        }
        if (dy != null) {
            Npy.write(in.resolve("dy.npy"), NpyArray.of(dy, seq));
        }
        return in;
    }

    @ParameterizedTest
    @EnumSource(ScanImpl.class)
    void run_everyInputAndDy_writesOutputsMatchingReference(ScanImpl impl) throws Exception {
        assumeTrue(impl != ScanImpl.CUDA || CudaStatus.probe().available(),
                () -> "no GPU here: " + CudaStatus.probe().message());
        ScanShape s = new ScanShape(2, 4, 37, 16, 2);
        ScanInputs x = ScanFixtures.randomFloat(s, Options.ALL, 81);
        float[] dy = ScanFixtures.normalFloat(82, (int) s.sequenceElements());
        Path in = writeInputs(x, dy);
        Path out = dir.resolve("out");
        ScanFiles.Summary summary = ScanFiles.run(in, out, true, impl);
        assertEquals(List.of("y.npy", "du.npy", "ddelta.npy", "dA.npy", "dB.npy", "dC.npy", "dD.npy", "dz.npy",
                "ddelta_bias.npy"), summary.written());
        assertEquals(s, summary.shape());
        ScanOutputs ey = SelectiveScanReference.forward(x, false);
        ScanGradients eg = SelectiveScanReference.backward(x, dy);
        NpyArray y = Npy.read(out.resolve("y.npy"));
        assertArrayEquals(new long[]{2, 4, 37}, y.shape());
        FusedSelectiveScanTest.assertClose("y", y.floats(), ey.out());
        FusedSelectiveScanTest.assertClose("du", Npy.read(out.resolve("du.npy")).floats(), eg.du());
        FusedSelectiveScanTest.assertClose("ddelta", Npy.read(out.resolve("ddelta.npy")).floats(), eg.ddelta());
        assertArrayEquals(new long[]{4, 16}, Npy.read(out.resolve("dA.npy")).shape());
        FusedSelectiveScanTest.assertClose("dA", Npy.read(out.resolve("dA.npy")).floats(), eg.da());
        assertArrayEquals(new long[]{2, 2, 16, 37}, Npy.read(out.resolve("dB.npy")).shape());
        FusedSelectiveScanTest.assertClose("dB", Npy.read(out.resolve("dB.npy")).floats(), eg.db());
        FusedSelectiveScanTest.assertClose("dC", Npy.read(out.resolve("dC.npy")).floats(), eg.dc());
        FusedSelectiveScanTest.assertClose("dD", Npy.read(out.resolve("dD.npy")).floats(), eg.dd());
        FusedSelectiveScanTest.assertClose("dz", Npy.read(out.resolve("dz.npy")).floats(), eg.dz());
        FusedSelectiveScanTest.assertClose("ddelta_bias", Npy.read(out.resolve("ddelta_bias.npy")).floats(),
                eg.ddeltaBias());
        assertNoTemporaryLeft();
    }

    @Test
    void run_requiredInputsOnly_writesOnlyY() throws Exception {
        ScanShape s = new ScanShape(1, 3, 10, 4, 0);
        ScanInputs x = ScanFixtures.randomFloat(s, Options.NONE, 83);
        Path out = dir.resolve("out");
        ScanFiles.Summary summary = ScanFiles.run(writeInputs(x, null), out, false, ScanImpl.FUSED);
        assertEquals(List.of("y.npy"), summary.written());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(1, files.count());
        }
        FusedSelectiveScanTest.assertClose("y", Npy.read(out.resolve("y.npy")).floats(),
                SelectiveScanReference.forward(x, false).out());
    }

    @Test
    void run_existingOutDirectory_receivesFilesAndKeepsOthers() throws Exception {
        ScanInputs x = ScanFixtures.randomFloat(new ScanShape(1, 2, 4, 2, 0), Options.NONE, 84);
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("notes.txt"), "keep me");
        Files.writeString(out.resolve("y.npy"), "stale");
        ScanFiles.run(writeInputs(x, null), out, false, ScanImpl.FUSED);
        assertEquals("keep me", Files.readString(out.resolve("notes.txt")));
        assertArrayEquals(new long[]{1, 2, 4}, Npy.read(out.resolve("y.npy")).shape());
        assertNoTemporaryLeft();
    }

    @Test
    void run_missingInput_failsNamingFileAndWritesNothing() throws Exception {
        Path in = writeInputs(ScanFixtures.randomFloat(new ScanShape(1, 2, 4, 2, 0), Options.NONE, 85), null);
        Files.delete(in.resolve("C.npy"));
        Path out = dir.resolve("out");
        ScanFilesException e = assertThrows(ScanFilesException.class,
                () -> ScanFiles.run(in, out, false, ScanImpl.FUSED));
        assertTrue(e.getMessage().contains("C.npy") && e.getMessage().contains("missing"), e.getMessage());
        assertFalse(Files.exists(out));
        assertNoTemporaryLeft();
    }

    @Test
    void run_wrongShape_failsNamingFileShapeAndExpectedShape() throws Exception {
        Path in = writeInputs(ScanFixtures.randomFloat(new ScanShape(2, 3, 5, 4, 0), Options.ALL, 86), null);
        Npy.write(in.resolve("B.npy"), NpyArray.of(new float[2 * 4 * 6], 2, 4, 6));
        Path out = dir.resolve("out");
        ScanFilesException e = assertThrows(ScanFilesException.class,
                () -> ScanFiles.run(in, out, true, ScanImpl.FUSED));
        assertTrue(e.getMessage().contains("B.npy has shape [2, 4, 6]") && e.getMessage().contains("[2, 4, 5]"),
                e.getMessage());
        assertFalse(Files.exists(out));

        Npy.write(in.resolve("B.npy"), NpyArray.of(new float[2 * 4 * 5], 2, 4, 5));
        Npy.write(in.resolve("D.npy"), NpyArray.of(new float[4], 4));
        e = assertThrows(ScanFilesException.class, () -> ScanFiles.run(in, out, true, ScanImpl.FUSED));
        assertTrue(e.getMessage().contains("D.npy has shape [4]") && e.getMessage().contains("[3]"), e.getMessage());

        Npy.write(in.resolve("D.npy"), NpyArray.of(new float[3], 3));
        Npy.write(in.resolve("dy.npy"), NpyArray.of(new float[30], 2, 15));
        e = assertThrows(ScanFilesException.class, () -> ScanFiles.run(in, out, true, ScanImpl.FUSED));
        assertTrue(e.getMessage().contains("dy.npy has shape [2, 15]") && e.getMessage().contains("[2, 3, 5]"),
                e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void run_groupsNotDividingChannels_fails() throws Exception {
        Path in = writeInputs(ScanFixtures.randomFloat(new ScanShape(1, 4, 5, 2, 0), Options.NONE, 87), null);
        Npy.write(in.resolve("B.npy"), NpyArray.of(new float[3 * 2 * 5], 1, 3, 2, 5));
        Npy.write(in.resolve("C.npy"), NpyArray.of(new float[3 * 2 * 5], 1, 3, 2, 5));
        ScanFilesException e = assertThrows(ScanFilesException.class,
                () -> ScanFiles.run(in, dir.resolve("out"), false, ScanImpl.FUSED));
        assertTrue(e.getMessage().contains("B.npy") && e.getMessage().contains("groups"), e.getMessage());
    }

    @Test
    void run_wrongDtype_failsNamingFileDtypeAndShape() throws Exception {
        Path in = writeInputs(ScanFixtures.randomFloat(new ScanShape(1, 2, 4, 2, 0), Options.NONE, 88), null);
        Npy.write(in.resolve("delta.npy"), NpyArray.of(new double[8], 1, 2, 4));
        Path out = dir.resolve("out");
        ScanFilesException e = assertThrows(ScanFilesException.class,
                () -> ScanFiles.run(in, out, false, ScanImpl.REFERENCE));
        assertTrue(e.getMessage().contains("delta.npy has dtype float64") && e.getMessage().contains("[1, 2, 4]")
                && e.getMessage().contains("float32"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void run_corruptFile_failsNamingIt() throws Exception {
        Path in = writeInputs(ScanFixtures.randomFloat(new ScanShape(1, 2, 4, 2, 0), Options.NONE, 89), null);
        Files.writeString(in.resolve("A.npy"), "not an array");
        ScanFilesException e = assertThrows(ScanFilesException.class,
                () -> ScanFiles.run(in, dir.resolve("out"), false, ScanImpl.FUSED));
        assertTrue(e.getMessage().contains("A.npy"), e.getMessage());
    }

    @Test
    void run_outIsAFile_failsBeforeComputing() throws Exception {
        Path in = writeInputs(ScanFixtures.randomFloat(new ScanShape(1, 2, 4, 2, 0), Options.NONE, 90), null);
        Path out = Files.writeString(dir.resolve("out"), "a file");
        ScanFilesException e = assertThrows(ScanFilesException.class,
                () -> ScanFiles.run(in, out, false, ScanImpl.FUSED));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        assertEquals("a file", Files.readString(out));
    }

    @Test
    void run_inIsMissing_fails() {
        ScanFilesException e = assertThrows(ScanFilesException.class,
                () -> ScanFiles.run(dir.resolve("nope"), dir.resolve("out"), false, ScanImpl.FUSED));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void run_extraNpyFile_isReportedAsIgnored() throws Exception {
        Path in = writeInputs(ScanFixtures.randomFloat(new ScanShape(1, 2, 4, 2, 0), Options.NONE, 91), null);
        Npy.write(in.resolve("delta_bais.npy"), NpyArray.of(new float[2], 2));
        ScanFiles.Summary s = ScanFiles.run(in, dir.resolve("out"), false, ScanImpl.FUSED);
        assertEquals(List.of("delta_bais.npy"), s.ignored());
    }

    @Test
    void run_cudaWhereItCannotRun_saysCudaNotAvailableAndWritesNothing() throws Exception {
        assumeFalse(CudaStatus.probe().available(), "a GPU is present");
        Path in = writeInputs(ScanFixtures.randomFloat(new ScanShape(1, 2, 4, 2, 0), Options.NONE, 93), null);
        Path out = dir.resolve("out-cuda");
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
                () -> ScanFiles.run(in, out, false, ScanImpl.CUDA));
        assertTrue(e.getMessage().startsWith("CUDA not available: "), e.getMessage());
        assertFalse(Files.exists(out.resolve("y.npy")));
    }

    @Test
    void parse_unknownImpl_listsAllowedNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScanImpl.parse("gpu"));
        assertTrue(e.getMessage().contains("fused, reference, composite, cuda"), e.getMessage());
        assertEquals(ScanImpl.COMPOSITE, ScanImpl.parse("Composite"));
        assertEquals(ScanImpl.CUDA, ScanImpl.parse("CUDA"));
    }

    private void assertNoTemporaryLeft() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> tmp = files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList();
            assertTrue(tmp.isEmpty(), "left behind: " + tmp);
        }
    }
}
