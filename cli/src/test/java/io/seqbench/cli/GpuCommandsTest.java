package io.seqbench.cli;

import io.seqbench.kernels.cuda.CudaStatus;
import io.seqbench.kernels.npy.Npy;
import io.seqbench.kernels.npy.NpyArray;
import io.seqbench.kernels.scan.ScanInputs;
import io.seqbench.kernels.scan.ScanOutputs;
import io.seqbench.kernels.scan.ScanShape;
import io.seqbench.kernels.scan.SelectiveScanReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code seqbench doctor}, {@code kernel scan --impl cuda} and {@code bench scan}; GPU-only checks skip without one. */
class GpuCommandsTest {
    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SeqBench.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[]{Integer.toString(code), out.toString(), err.toString()};
    }

    /** Random inputs without the optional arrays: u, B, C in [-1, 1), delta in [0.01, 0.1), A in [-2, -0.5). */
    private static ScanInputs random(ScanShape s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int seq = (int) s.sequenceElements();
        int bc = (int) s.bcElements();
        return new ScanInputs(s, values(r, seq, -1, 1), values(r, seq, 0.01, 0.1),
                values(r, s.channels() * s.state(), -2, -0.5), values(r, bc, -1, 1), values(r, bc, -1, 1),
                null, null, null, false);
    }

    private static float[] values(SplittableRandom r, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(lo, hi);
        }
        return v;
    }

    /** u, delta, A, B, C of a small random scan as .npy files. */
    private Path inputs(ScanInputs x) throws Exception {
        ScanShape s = x.shape();
        Path in = Files.createDirectories(tmp.resolve("in"));
        long[] seq = {s.batch(), s.channels(), s.length()};
        Npy.write(in.resolve("u.npy"), NpyArray.of(x.u(), seq));
        Npy.write(in.resolve("delta.npy"), NpyArray.of(x.delta(), seq));
        Npy.write(in.resolve("A.npy"), NpyArray.of(x.a(), s.channels(), s.state()));
        Npy.write(in.resolve("B.npy"), NpyArray.of(x.b(), s.bcShape()));
        Npy.write(in.resolve("C.npy"), NpyArray.of(x.c(), s.bcShape()));
        return in;
    }

    @Test
    void doctor_reportsBackendCpuAndTheCudaPath() {
        String[] r = run("doctor");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("ND4J backend:") && r[1].contains("CPU:") && r[1].contains("SeqBench CUDA path:"),
                r[1]);
    }

    @Test
    void kernelScanCuda_withoutGpu_failsWithTheReason() throws Exception {
        assumeFalse(CudaStatus.probe().available(), "a GPU is present");
        Path in = inputs(random(new ScanShape(1, 2, 8, 4, 0), 5));
        Path out = tmp.resolve("out");
        String[] r = run("kernel", "scan", "--in", in.toString(), "--out", out.toString(), "--impl", "cuda");
        assertEquals(Integer.toString(SeqBench.FAILED), r[0], r[1] + r[2]);
        assertTrue(r[2].contains("error: CUDA not available: " + CudaStatus.probe().message()), r[2]);
        assertFalse(Files.exists(out.resolve("y.npy")));
    }

    @Test
    void benchScanCuda_withoutGpu_failsWithTheReason() {
        assumeFalse(CudaStatus.probe().available(), "a GPU is present");
        String[] r = run("bench", "scan", "--impl", "cuda", "--out", tmp.resolve("b.json").toString());
        assertEquals(Integer.toString(SeqBench.FAILED), r[0], r[1] + r[2]);
        assertTrue(r[2].contains("error: CUDA not available: "), r[2]);
        assertFalse(Files.exists(tmp.resolve("b.json")));
    }

    @Test
    void benchScan_cpuImpl_isBadInput() {
        String[] r = run("bench", "scan", "--impl", "fused");
        assertEquals(Integer.toString(SeqBench.BAD_INPUT), r[0], r[1] + r[2]);
        assertTrue(r[2].contains("JMH"), r[2]);
    }

    @Test
    void kernelScanCuda_onGpu_matchesTheReference() throws Exception {
        assumeTrue(CudaStatus.probe().available(), () -> "no GPU here: " + CudaStatus.probe().message());
        ScanInputs x = random(new ScanShape(2, 8, 45, 16, 0), 6);
        Path in = inputs(x);
        Path out = tmp.resolve("out");
        String[] r = run("kernel", "scan", "--in", in.toString(), "--out", out.toString(), "--impl", "cuda");
        assertEquals("0", r[0], r[1] + r[2]);
        ScanOutputs ref = SelectiveScanReference.forward(x, false);
        float[] y = Npy.read(out.resolve("y.npy")).floats();
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < y.length; i++) {
            worst = Math.max(worst, Math.abs(y[i] - ref.out()[i]));
            scale = Math.max(scale, Math.abs(ref.out()[i]));
        }
        assertTrue(worst <= 1e-3 * scale, "max error " + worst + " of " + scale);
    }
}
