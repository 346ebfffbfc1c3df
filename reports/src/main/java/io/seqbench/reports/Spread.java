package io.seqbench.reports;

import java.util.Collection;

/**
 * The mean of a few values (seeds, or repeats) with their minimum and maximum: the report's spreads are
 * always min–max ranges, never standard deviations (with 2–5 seeds a standard deviation says little).
 *
 * @param mean the arithmetic mean
 * @param min  the smallest value
 * @param max  the largest value
 * @param n    how many values
 */
record Spread(double mean, double min, double max, int n) {

    /** The spread of non-empty {@code values}. */
    static Spread of(Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a spread needs at least one value");
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new Spread(sum / values.size(), min, max, values.size());
    }

    /** Every value multiplied by {@code factor} (e.g. fractions to percent). */
    Spread times(double factor) {
        return factor >= 0 ? new Spread(mean * factor, min * factor, max * factor, n)
                : new Spread(mean * factor, max * factor, min * factor, n);
    }

    /** Whether the values differ at all. */
    boolean spread() {
        return max > min;
    }
}
