package io.seqbench.tasks;

/** What a task is scored by. */
public enum Metric {
    /** Fraction of answer positions predicted exactly (argmax); higher is better. */
    ACCURACY,
    /** Cross-entropy in bits per character on held-out text; lower is better. */
    BITS_PER_CHARACTER;

    public boolean higherIsBetter() {
        return this == ACCURACY;
    }
}
