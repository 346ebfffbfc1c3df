package io.seqbench.reports;

import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunRecord;

import java.util.Collection;

/** The held-out metric a task is judged by, how it is shown, and which direction is better. */
enum TaskMetric {
    /** Answer accuracy of the synthetic tasks, recorded as a fraction, shown in percent. */
    ACCURACY("accuracy", "answer accuracy", "%", 100, true, "chance_accuracy", "chance"),
    /** Bits per character of language modelling. */
    BITS_PER_CHARACTER("bits_per_character", "bits per character", "bpc", 1, false, "optimal_bpc",
            "optimal (entropy rate)");

    /** The key in metrics lines and summaries. */
    final String key;
    final String name;
    final String unit;
    /** Multiplies recorded values into shown ones. */
    final double scale;
    final boolean higherIsBetter;
    /** The summary's reference value drawn as a guide, and its label. */
    final String referenceKey;
    final String referenceLabel;

    TaskMetric(String key, String name, String unit, double scale, boolean higherIsBetter, String referenceKey,
               String referenceLabel) {
        this.key = key;
        this.name = name;
        this.unit = unit;
        this.scale = scale;
        this.higherIsBetter = higherIsBetter;
        this.referenceKey = referenceKey;
        this.referenceLabel = referenceLabel;
    }

    /** Bits per character when any of the runs records it, else accuracy. */
    static TaskMetric of(Collection<RunRecord> runs) {
        for (RunRecord r : runs) {
            if (r.summary() != null && BITS_PER_CHARACTER.key.equals(r.summary().metric())) {
                return BITS_PER_CHARACTER;
            }
            for (MetricsLine m : r.metrics()) {
                if (m.values().containsKey(BITS_PER_CHARACTER.key)) {
                    return BITS_PER_CHARACTER;
                }
            }
        }
        return ACCURACY;
    }

    /** "answer accuracy (%)". */
    String title() {
        return name + " (" + unit + ")";
    }

    /** The recorded value of this metric in {@code values}, scaled for display, or null. */
    Double shown(java.util.Map<String, Double> values) {
        Double v = values == null ? null : values.get(key);
        return v == null || v.isNaN() ? null : v * scale;
    }

    /** Whether {@code a} is better than {@code b}. */
    boolean better(double a, double b) {
        return higherIsBetter ? a > b : a < b;
    }
}
