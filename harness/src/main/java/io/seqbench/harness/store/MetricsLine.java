package io.seqbench.harness.store;

import java.util.Map;

/**
 * One line of {@code metrics.jsonl}.
 *
 * @param step     optimizer steps completed when the values were measured (0 for probes)
 * @param kind     {@code train} (running values of the training batches), {@code eval} (held-out batches at the
 *                 training length), {@code eval_length} (held-out batches at {@link #length}, for length
 *                 generalization), or a probe's kind ({@code throughput}, {@code prefill}, {@code decode},
 *                 {@code memory})
 * @param length   sequence length (for decode: the context length) of the measurement
 * @param values   deterministic results (loss, accuracy, allocation bytes, state size): identical when a spec is
 *                 re-run on the same machine and thread count
 * @param measured machine-dependent measurements (seconds, tokens per second, RSS); never compared for
 *                 reproducibility
 * @param status   {@code null} or {@code ok} for a normal point; {@code oom}, {@code timeout},
 *                 {@code unsupported} or {@code error} for a point that could not be measured
 * @param note     a human-readable explanation for a non-ok status, e.g. "out of memory at L = 8192"
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record MetricsLine(long step, String kind, int length, Map<String, Double> values,
                          @com.fasterxml.jackson.annotation.JsonAlias("timing") Map<String, Double> measured,
                          String status, String note) {
    public static final String TRAIN = "train";
    public static final String EVAL = "eval";
    public static final String EVAL_LENGTH = "eval_length";

    public MetricsLine {
        values = values == null ? Map.of() : Map.copyOf(values);
        measured = measured == null ? Map.of() : Map.copyOf(measured);
    }

    /** A normal line. */
    public MetricsLine(long step, String kind, int length, Map<String, Double> values, Map<String, Double> measured) {
        this(step, kind, length, values, measured, null, null);
    }

    /** A point that could not be measured, with its status and why. */
    public static MetricsLine failed(String kind, int length, String status, String note) {
        return new MetricsLine(0, kind, length, Map.of(), Map.of(), status, note);
    }

    /** Whether this line holds a normal measurement. */
    public boolean ok() {
        return status == null || "ok".equals(status);
    }
}
