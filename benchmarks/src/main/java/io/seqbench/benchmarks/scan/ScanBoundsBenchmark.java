package io.seqbench.benchmarks.scan;

import io.seqbench.kernels.scan.FusedSelectiveScan;
import io.seqbench.kernels.scan.ScanProbes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What bounds the fused forward, on one thread:
 * <ul>
 *   <li>{@link #exp}: the kernel's exponential alone over {@value #ELEMENTS} arguments like exp(Δ·A) (x ≤ 0), in
 *       and out of L2 (arithmetic, not memory). The fused forward computes one exponential per state update:
 *       compare the time per element with its time per state update ({@link SelectiveScanBenchmark},
 *       {@code fused-1t});</li>
 *   <li>{@link #forwardTraffic}: copying as many bytes as the forward of length 1024 streams (u, Δ, z in and
 *       out out: 4 × batch·channels·length floats = 16 MB), i.e. its time if it were bound by memory traffic.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@State(Scope.Benchmark)
public class ScanBoundsBenchmark {
    /** 256 KB in, 256 KB out: resident in this CPU's 2 MB L2. */
    static final int ELEMENTS = 65536;

    /** Floats the length-1024 forward streams: u, Δ, z read and out written, 4 × 4·256·1024; copied as 2 + 2. */
    static final int TRAFFIC_FLOATS = 2 * SelectiveScanBenchmark.BATCH * SelectiveScanBenchmark.CHANNELS * 1024;

    private float[] x;
    private float[] y;
    private float[] from;
    private float[] to;

    @Setup(Level.Trial)
    public void setUp() {
        if (!FusedSelectiveScan.vectorized()) {
            throw new IllegalStateException("needs --add-modules=jdk.incubator.vector");
        }
        int n = ELEMENTS;
        x = new float[n];
        y = new float[n];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            x[i] = (float) -r.nextDouble(0.001, 16.0);
        }
        from = new float[TRAFFIC_FLOATS];
        to = new float[TRAFFIC_FLOATS];
        java.util.Arrays.fill(from, 1f);
    }

    @Benchmark
    public float[] forwardTraffic() {
        System.arraycopy(from, 0, to, 0, TRAFFIC_FLOATS);
        return to;
    }

    @Benchmark
    public float[] exp() {
        ScanProbes.exp(x, y);
        return y;
    }
}
