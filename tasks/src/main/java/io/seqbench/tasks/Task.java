package io.seqbench.tasks;

import java.util.Map;

/**
 * A sequence task: a pure function of (config, seed) that yields batches of (inputs, targets, loss mask).
 *
 * <p>Every model reads {@code inputs} left to right and predicts {@code targets} at every position (causal
 * next-token form); only positions with mask 1 count. The same (config, seed, split, step) always gives the same
 * batch, in any process and in any order.
 */
public interface Task {

    /** The registry key (the spec's {@code task.type}). */
    String type();

    /** Size of the token vocabulary shared by inputs and targets. */
    int vocabSize();

    /** The training sequence length. */
    int length();

    /** How the task is scored. */
    Metric metric();

    /**
     * Batch number {@code step} of {@code split} at the training length.
     *
     * @param split     training or held-out stream
     * @param step      index of the batch in that stream, ≥ 0
     * @param batchSize number of sequences
     */
    default Batch batch(Split split, long step, int batchSize) {
        return batch(split, step, batchSize, length());
    }

    /**
     * Batch number {@code step} of {@code split} at another sequence length (length generalization).
     *
     * @throws IllegalArgumentException if the task cannot be posed at that length (the message says which
     *                                  lengths are allowed)
     */
    Batch batch(Split split, long step, int batchSize, int length);

    /** Whether {@link #batch(Split, long, int, int)} accepts this length. */
    boolean supportsLength(int length);

    /**
     * Known reference values for the report, e.g. {@code chance_accuracy} or the exact entropy rate of a
     * synthetic language ({@code optimal_bpc}). Empty when none are known.
     */
    default Map<String, Double> referenceValues() {
        return Map.of();
    }
}
