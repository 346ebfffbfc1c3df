package io.seqbench.reports;

import java.util.ArrayList;
import java.util.List;

/**
 * What one line chart shows, independent of how it is drawn: built by the report's sections from run records,
 * drawn by {@link Charts}, and tested without rendering.
 *
 * @param id          the file base name under {@code charts/}
 * @param title       the chart's title
 * @param xTitle      the x axis title, with its unit
 * @param yTitle      the y axis title, with its unit
 * @param logX        logarithmic x axis
 * @param logY        logarithmic y axis
 * @param yMin        a fixed lower end of the y axis, or null for automatic
 * @param yMax        a fixed upper end of the y axis, or null for automatic
 * @param lines       the data series
 * @param guides      dashed grey reference lines (chance level, O(L) and O(L²) slopes)
 * @param verticals   dashed vertical markers (e.g. the training length)
 * @param unmeasured  points that could not be measured (OOM, timeout, unsupported), marked on the chart
 * @param caption     what the chart shows and how it was computed
 */
record ChartSpec(String id, String title, String xTitle, String yTitle, boolean logX, boolean logY, Double yMin,
                 Double yMax, List<Line> lines, List<Guide> guides, List<Vertical> verticals,
                 List<Unmeasured> unmeasured, String caption) {

    ChartSpec {
        lines = List.copyOf(lines);
        guides = List.copyOf(guides);
        verticals = List.copyOf(verticals);
        unmeasured = List.copyOf(unmeasured);
    }

    /**
     * One series: coloured by architecture {@code type}, styled by {@code variant}, optionally with a spread band.
     *
     * @param label   the legend entry
     * @param type    the architecture type (its colour); null for series that are not architectures
     * @param variant line style and marker index
     * @param points  the points, sorted by x
     */
    record Line(String label, String type, int variant, List<Point> points) {
        Line {
            points = List.copyOf(points);
        }

        boolean hasBand() {
            return points.stream().anyMatch(p -> p.lo() != null && p.hi() != null && p.hi() > p.lo());
        }
    }

    /**
     * A point with an optional spread (lo ≤ y ≤ hi), or null bounds when there is none.
     *
     * @param n how many values the point summarises (seeds or repeats); 1 for a single measurement
     */
    record Point(double x, double y, Double lo, Double hi, int n) {
        static Point of(double x, double y) {
            return new Point(x, y, null, null, 1);
        }

        static Point of(double x, Spread s) {
            return new Point(x, s.mean(), s.min(), s.max(), s.n());
        }
    }

    /** A dashed reference line through {@code points}, labelled in the legend. */
    record Guide(String label, List<Point> points) {
        Guide {
            points = List.copyOf(points);
        }
    }

    /** A dashed vertical line at {@code x}, labelled in the legend. */
    record Vertical(String label, double x) {
    }

    /**
     * A point of a series that has no value.
     *
     * @param series the series' label (its run)
     * @param type   the architecture type, for the colour of the mark
     * @param x      where it would be (the length)
     * @param status oom, timeout, unsupported, error, or failed
     * @param note   why, in words
     */
    record Unmeasured(String series, String type, double x, String status, String note) {
    }

    /** Whether the chart has anything to draw. */
    boolean hasData() {
        return lines.stream().anyMatch(l -> !l.points().isEmpty()) || !unmeasured.isEmpty();
    }

    /** A mutable builder for the sections' convenience. */
    static final class Builder {
        private final String id;
        private final String title;
        private final String xTitle;
        private final String yTitle;
        private boolean logX;
        private boolean logY;
        private Double yMin;
        private Double yMax;
        private final List<Line> lines = new ArrayList<>();
        private final List<Guide> guides = new ArrayList<>();
        private final List<Vertical> verticals = new ArrayList<>();
        private final List<Unmeasured> unmeasured = new ArrayList<>();
        private String caption = "";

        Builder(String id, String title, String xTitle, String yTitle) {
            this.id = id;
            this.title = title;
            this.xTitle = xTitle;
            this.yTitle = yTitle;
        }

        Builder logX() {
            logX = true;
            return this;
        }

        Builder logY() {
            logY = true;
            return this;
        }

        Builder yRange(Double min, Double max) {
            yMin = min;
            yMax = max;
            return this;
        }

        Builder line(Line line) {
            lines.add(line);
            return this;
        }

        Builder guide(Guide guide) {
            guides.add(guide);
            return this;
        }

        Builder vertical(Vertical v) {
            verticals.add(v);
            return this;
        }

        Builder unmeasured(Unmeasured u) {
            unmeasured.add(u);
            return this;
        }

        Builder caption(String caption) {
            this.caption = caption;
            return this;
        }

        List<Line> lines() {
            return lines;
        }

        ChartSpec build() {
            return new ChartSpec(id, title, xTitle, yTitle, logX, logY, yMin, yMax, lines, guides, verticals,
                    unmeasured, caption);
        }
    }
}
