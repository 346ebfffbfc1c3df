package io.seqbench.tasks;

import java.util.SplittableRandom;

/**
 * Deterministic random streams for batch generation: the random numbers of batch {@code step} of {@code split}
 * depend only on (seed, split, step), so any batch can be regenerated alone, in any order, in any process.
 */
public final class Seeds {
    private Seeds() {
    }

    /** The generator for one batch. */
    public static SplittableRandom forBatch(long seed, Split split, long step) {
        return new SplittableRandom(mix(mix(seed, 0x5EC0_BE7CL + split.ordinal()), step));
    }

    /** A well-mixed combination of two longs (SplitMix64 finaliser over a golden-ratio step). */
    public static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
