package io.seqbench.kernels.op;

import org.nd4j.linalg.factory.Nd4j;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * How many CPU threads SeqBench's Java kernels may use, and a parallel loop that keeps to it. A run's thread count
 * ({@code train.threads}, {@code probe.threads}) is pinned into ND4J by the harness and recorded with the run; the
 * Java kernels read it from ND4J, so that "threads: 1" means one thread for every op, ND4J's or SeqBench's.
 */
public final class OpThreads {
    private OpThreads() {
    }

    /** The thread count ND4J is pinned to (the harness pins it per run), at least 1. */
    public static int threads() {
        return Math.max(1, Nd4j.getEnvironment().maxThreads());
    }

    /** Runs body(i) for i in [0, units) on at most {@link #threads()} threads; each unit runs exactly once. */
    public static void parallel(int units, IntConsumer body) {
        parallel(units, threads(), body);
    }

    /**
     * Runs body(i) for i in [0, units) on at most {@code threads} threads (the calling thread and workers of the
     * ForkJoin common pool); each unit runs exactly once, in no fixed order, so units must not share mutable state.
     */
    public static void parallel(int units, int threads, IntConsumer body) {
        int workers = Math.max(1, Math.min(units, threads));
        if (workers == 1) {
            for (int i = 0; i < units; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        IntStream.range(0, workers).parallel().forEach(w -> {
            for (int i = next.getAndIncrement(); i < units; i = next.getAndIncrement()) {
                body.accept(i);
            }
        });
    }

    /**
     * out = parts[0] + parts[1] + … element by element, added in index order from zero: per-unit partial sums of a
     * {@link #parallel} loop reduced in a fixed order, so the total does not depend on the thread count.
     */
    public static void sumInOrder(double[][] parts, double[] out) {
        java.util.Arrays.fill(out, 0.0);
        for (double[] part : parts) {
            for (int i = 0; i < out.length; i++) {
                out[i] += part[i];
            }
        }
    }
}
