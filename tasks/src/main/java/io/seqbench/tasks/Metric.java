package io.seqbench.tasks;

/** What a task is scored by. */
public enum Metric {
    /** Fraction of answer positions predicted exactly (argmax); higher is better. */
    ACCURACY,
    /**
     * Cross-entropy in bits per character (log base 2, averaged over mask-1 positions) on held-out text; lower is
     * better. Perplexity per character is {@link #perplexity 2^bpc}.
     */
    BITS_PER_CHARACTER;

    public boolean higherIsBetter() {
        return this == ACCURACY;
    }

    /** Perplexity per character from bits per character: 2^bpc. */
    public static double perplexity(double bitsPerCharacter) {
        return Math.pow(2, bitsPerCharacter);
    }
}
