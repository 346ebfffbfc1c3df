package io.seqbench.benchmarks.scan;

import io.seqbench.kernels.op.JavaOps;
import io.seqbench.kernels.scan.CompositeSelectiveScan;
import io.seqbench.kernels.scan.FusedSelectiveScan;
import io.seqbench.kernels.scan.ScanArrays;
import io.seqbench.kernels.scan.ScanBuffers;
import io.seqbench.kernels.scan.ScanGradientBuffers;
import io.seqbench.kernels.scan.ScanInputs;
import io.seqbench.kernels.scan.ScanShape;
import io.seqbench.kernels.scan.SelectiveScanReference;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the extra memory of one selective-scan call in this (fresh) JVM and prints one JSON line. Run by
 * {@link ScanMemoryReport}, one JVM per point, with a pre-touched heap ({@code -Xms = -Xmx},
 * {@code -XX:+AlwaysPreTouch}) so that resident-set growth shows only memory outside the Java heap.
 *
 * <p>Three figures, each exact or direct (plus {@code checkpointBytes}, the fused forward's checkpoints, which
 * are an output kept for the backward rather than scratch):
 * <ul>
 *   <li>{@code heapAllocatedBytes}: Java heap bytes allocated by all threads during a call (median of
 *       {@value #MEASURED_CALLS} calls)
 *       ({@code ThreadMXBean.getThreadAllocatedBytes}); the fused kernel allocates all its scratch up front and
 *       holds it for the whole call, so for it this is also the peak;</li>
 *   <li>{@code nd4jAllocatedBytes}, {@code nd4jPeakBytes}: the composite's exact count of the ND4J (off-heap)
 *       arrays it allocates, and the most alive at once;</li>
 *   <li>{@code peakRssGrowthBytes}: VmHWM after the measured calls minus VmRSS before them (peak reset through
 *       /proc/self/clear_refs), after warm-up calls so that JIT compilation and library initialisation are
 *       done (on a short sequence for the composite, whose allocator would otherwise reuse memory kept from
 *       full-size warm-up calls); it cross-checks the off-heap count.</li>
 * </ul>
 * Arguments: impl (fused, composite, reference), length, op (forward, forwardBackward).
 */
public final class ScanMemoryProbe {
    static final int MAX_WARMUP_CALLS = 200;
    /** Calls measured after the warm-up: the median heap allocation and the peak RSS over them are reported. */
    static final int MEASURED_CALLS = 3;

    private ScanMemoryProbe() {
    }

    public static void main(String[] args) throws IOException {
        String impl = args[0];
        int length = Integer.parseInt(args[1]);
        String op = args[2];
        JavaOps.install();
        // Warm-up until a call allocates no more heap than the one before (JIT-compiled, steady state). The
        // composite warms up on a short sequence: memory its allocator kept from full-size calls would hide the
        // growth measured below. The others keep their scratch on the pre-touched heap, so they warm up at full size.
        Prepared p = prepare(impl, length);
        Prepared warm = impl.equals("composite") ? prepare(impl, 64) : p;
        int minCalls = impl.equals("composite") ? 20 : impl.equals("fused") ? 8 : 2;
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < MAX_WARMUP_CALLS; i++) {
            long before = allocatedBytes();
            run(impl, op, warm, new long[2]);
            long bytes = allocatedBytes() - before;
            if (System.getProperty("probe.verbose") != null) {
                System.err.println("warm-up call " + i + ": " + bytes + " bytes");
            }
            if (i >= minCalls && bytes <= previous * 1.02 && bytes >= previous * 0.98) {
                break;
            }
            previous = bytes;
        }
        System.gc();
        long rssBefore = status("VmRSS");
        resetPeak();
        long[] nd4j = new long[2];
        long[] heap = new long[MEASURED_CALLS];
        for (int i = 0; i < MEASURED_CALLS; i++) {
            long before = allocatedBytes();
            run(impl, op, p, nd4j);
            heap[i] = allocatedBytes() - before;
        }
        java.util.Arrays.sort(heap);
        long heapMedian = heap[MEASURED_CALLS / 2];
        long hwm = status("VmHWM");
        // the fused forward's checkpoints outlive the call (SameDiff keeps them for the backward): count them
        long saved = impl.equals("fused") && op.equals("forwardBackward") ? 4L * p.outputs.checkpoints.capacity() : 0;
        System.out.println(String.format(Locale.ROOT, "{\"impl\": \"%s\", \"length\": %d, \"op\": \"%s\", "
                        + "\"stateUpdates\": %d, \"heapAllocatedBytes\": %d, \"checkpointBytes\": %d, "
                        + "\"nd4jAllocatedBytes\": %d, \"nd4jPeakBytes\": %d, \"rssBeforeBytes\": %d, "
                        + "\"peakRssGrowthBytes\": %d}",
                impl, length, op, p.shape.stateUpdates(), heapMedian, saved, nd4j[0], nd4j[1],
                rssBefore, hwm - rssBefore));
    }

    private record Prepared(ScanShape shape, ScanInputs host, ScanArrays arrays, float[] dout, INDArray doutArray,
                            FusedOutputs outputs) {
    }

    /** The fused kernel's outputs, allocated before the measurement as SameDiff would hand them to the op. */
    private record FusedOutputs(FloatBuffer out, FloatBuffer checkpoints, ScanGradientBuffers grads) {
        static FusedOutputs of(ScanShape s) {
            int seq = (int) s.sequenceElements();
            int ckpt = s.batch() * s.channels() * FusedSelectiveScan.shared().checkpointsPerRow(s.length()) * s.state();
            return new FusedOutputs(FloatBuffer.allocate(seq), FloatBuffer.allocate(ckpt),
                    new ScanGradientBuffers(FloatBuffer.allocate(seq), FloatBuffer.allocate(seq),
                            FloatBuffer.allocate(s.channels() * s.state()), FloatBuffer.allocate((int) s.bcElements()),
                            FloatBuffer.allocate((int) s.bcElements()), FloatBuffer.allocate(s.channels()),
                            FloatBuffer.allocate(seq), FloatBuffer.allocate(s.channels())));
        }
    }

    private static Prepared prepare(String impl, int length) {
        ScanShape s = new ScanShape(SelectiveScanBenchmark.BATCH, SelectiveScanBenchmark.CHANNELS, length,
                SelectiveScanBenchmark.STATE, 0);
        ScanInputs host = ScanBenchmarkInputs.host(s, 42);
        float[] dout = ScanBenchmarkInputs.normal(new java.util.SplittableRandom(7), (int) s.sequenceElements());
        boolean nd4j = !impl.equals("reference");
        return new Prepared(s, host, nd4j ? ScanBenchmarkInputs.arrays(host) : null, dout,
                nd4j ? Nd4j.createFromArray(dout).reshape(s.batch(), s.channels(), length) : null,
                impl.equals("fused") ? FusedOutputs.of(s) : null);
    }

    /** Runs one call; for the composite, stores its allocated and peak ND4J bytes in nd4j[0], nd4j[1]. */
    private static void run(String impl, String op, Prepared p, long[] nd4j) {
        boolean backward = op.equals("forwardBackward");
        switch (impl) {
            case "fused" -> {
                FusedSelectiveScan f = FusedSelectiveScan.shared();
                ScanBuffers in = p.arrays.floatBuffers();
                // outputs are given to the op (SameDiff allocates them), so they are allocated outside the count
                FloatBuffer out = p.outputs.out;
                f.forward(in, out, null, backward ? p.outputs.checkpoints : null);
                if (backward) {
                    f.backward(in, p.outputs.checkpoints, FloatBuffer.wrap(p.dout), null, p.outputs.grads);
                }
            }
            case "composite" -> {
                if (backward) {
                    CompositeSelectiveScan.Gradients g = CompositeSelectiveScan.forwardBackward(p.arrays, p.doutArray);
                    nd4j[0] = g.allocatedBytes();
                    nd4j[1] = g.peakBytes();
                } else {
                    CompositeSelectiveScan.Result r = CompositeSelectiveScan.forward(p.arrays, false);
                    nd4j[0] = r.allocatedBytes();
                    nd4j[1] = r.peakBytes();
                }
            }
            case "reference" -> {
                SelectiveScanReference.forward(p.host, false);
                if (backward) {
                    SelectiveScanReference.backward(p.host, p.dout);
                }
            }
            default -> throw new IllegalArgumentException("impl must be fused, composite or reference, got " + impl);
        }
    }

    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = mx.getAllThreadIds();
        long sum = 0;
        for (long v : mx.getThreadAllocatedBytes(ids)) {
            if (v > 0) {
                sum += v;
            }
        }
        return sum;
    }

    private static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                String[] parts = line.trim().split("\\s+");
                return Long.parseLong(parts[1]) * 1024;
            }
        }
        throw new IOException(key + " not in /proc/self/status");
    }

    private static void resetPeak() throws IOException {
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    }
}
