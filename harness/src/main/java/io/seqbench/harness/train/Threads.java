package io.seqbench.harness.train;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Pins the number of CPU threads ND4J (its op loops and BLAS) may use. A run's thread count is part of its
 * identity: results are bitwise reproducible for a fixed count, and can differ in the last digits across counts.
 */
public final class Threads {
    private Threads() {
    }

    /** Pins ND4J and BLAS to {@code threads} threads. */
    public static void pin(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
