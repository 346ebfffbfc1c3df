package io.seqbench.reports;

import java.util.ArrayList;
import java.util.List;

/**
 * What one grouped bar chart shows: categories along x, one bar series per model (coloured by architecture,
 * tinted by variant).
 *
 * @param id      the file base name under {@code charts/}
 * @param title   the chart's title
 * @param xTitle  the x axis title
 * @param yTitle  the y axis title, with its unit
 * @param logY    logarithmic y axis
 * @param yMax    a fixed upper end of the y axis (e.g. 100 %), or null for automatic
 * @param categories the groups of bars along x
 * @param series  the bars
 * @param caption what the chart shows and how it was computed
 */
record BarChartSpec(String id, String title, String xTitle, String yTitle, boolean logY, Double yMax,
                    List<String> categories,
                    List<Bars> series, String caption) {
    BarChartSpec {
        categories = List.copyOf(categories);
        series = List.copyOf(series);
    }

    /**
     * One bar per category; a null value is a missing bar.
     *
     * @param label   the legend entry
     * @param type    the architecture type (its colour)
     * @param variant the tint index
     * @param values  one value per category, or null
     */
    record Bars(String label, String type, int variant, List<Double> values) {
        Bars {
            values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
        }
    }

    boolean hasData() {
        return series.stream().anyMatch(s -> s.values().stream().anyMatch(v -> v != null));
    }
}
