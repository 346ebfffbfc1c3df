package io.seqbench.harness.store;

import java.util.Map;

/**
 * One line of {@code metrics.jsonl}.
 *
 * @param step   optimizer steps completed when the values were measured
 * @param kind   {@code train} (running values of the training batch), {@code eval} (held-out batches at the
 *               training length) or {@code eval_length} (held-out batches at {@link #length}, for length
 *               generalization)
 * @param length sequence length of the measured batches
 * @param values the measurements (loss, accuracy, ...); deterministic for a given spec, threads and machine
 * @param timing wall-clock measurements (seconds, tokens per second); never compared for reproducibility
 */
public record MetricsLine(long step, String kind, int length, Map<String, Double> values,
                          Map<String, Double> timing) {
    public static final String TRAIN = "train";
    public static final String EVAL = "eval";
    public static final String EVAL_LENGTH = "eval_length";

    public MetricsLine {
        values = Map.copyOf(values);
        timing = timing == null ? Map.of() : Map.copyOf(timing);
    }
}
