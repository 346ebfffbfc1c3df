package io.seqbench.harness.train;

import io.seqbench.harness.run.ResidentMemory;

import java.util.function.LongSupplier;

/**
 * Keeps a training process's memory near what it really uses. ND4J's CPU arrays live off the Java heap and are
 * freed only when their Java wrappers are garbage-collected; a training step leaves little on the heap, so the JVM
 * rarely collects, and dead activations pile up: two attention-only transformers at length 256 reached 13 and 23
 * GB and were killed by the kernel mid-training. After each step this guard reads the process's resident set
 * (a /proc read, ~50 µs) and asks for a collection when it is above the threshold.
 *
 * <p>The threshold is {@code -Dseqbench.gc.rss.mb} (default 2048 MB); 0 turns the guard off. Collections change
 * timings, never results.
 */
public final class MemoryGuard {
    static final String PROPERTY = "seqbench.gc.rss.mb";
    private static final long DEFAULT_MB = 2048;

    private final long thresholdBytes;
    private final LongSupplier residentBytes;
    private final Runnable collect;
    private long collections;

    /** The guard of this process, with the threshold from {@value #PROPERTY}. */
    public static MemoryGuard forThisProcess() {
        long mb = Long.getLong(PROPERTY, DEFAULT_MB);
        return new MemoryGuard(mb << 20, ResidentMemory::ofThisProcess, System::gc);
    }

    MemoryGuard(long thresholdBytes, LongSupplier residentBytes, Runnable collect) {
        this.thresholdBytes = thresholdBytes;
        this.residentBytes = residentBytes;
        this.collect = collect;
    }

    /** Call after each step: collects garbage when the resident set is above the threshold. */
    public void afterStep() {
        if (thresholdBytes > 0 && residentBytes.getAsLong() > thresholdBytes) {
            collect.run();
            collections++;
        }
    }

    /** How many collections the guard asked for. */
    public long collections() {
        return collections;
    }
}
