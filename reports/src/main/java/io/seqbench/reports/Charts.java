package io.seqbench.reports;

import io.seqbench.reports.ReportModel.ChartRef;
import io.seqbench.reports.ReportModel.DataTable;
import io.seqbench.reports.ReportModel.UnmeasuredRow;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Draws {@link ChartSpec}s and {@link BarChartSpec}s with XChart, each as PNG and SVG, in one style: white
 * background, large type, the legend to the right, architecture colours from {@link Palette}.
 */
final class Charts {
    static final int WIDTH = 1000;
    static final int HEIGHT = 560;
    private static final int DPI = 110;
    private static final int LEGEND_CHARS = 46;
    private static final Color GUIDE = new Color(0x555555);
    private static final Color GRID = new Color(0xE6E6E6);
    /** Colours of series that are not architectures (kernel implementations): Tableau 10. */
    private static final Color[] SERIES = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759),
            new Color(0x76B7B2), new Color(0x59A14F), new Color(0xB07AA1), new Color(0x9C755F),
            new Color(0xEDC948), new Color(0xFF9DA7), new Color(0xBAB0AC)};

    private Charts() {
    }

    /** Draws a line chart into {@code dir} and describes it for the templates. */
    static ChartRef render(ChartSpec spec, Path dir) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(spec.title())
                .xAxisTitle(spec.xTitle()).yAxisTitle(spec.yTitle()).build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(8);
        // log x: lengths are plotted as log2(L) on a linear axis so that ticks fall on powers of two (XChart's
        // logarithmic axis ticks only at decades and their multiples)
        java.util.function.DoubleUnaryOperator fx = spec.logX() ? x -> Math.log(x) / Math.log(2) : x -> x;
        chart.getStyler().setYAxisLogarithmic(spec.logY());
        chart.getStyler().setXAxisTickLabelsFormattingFunction(spec.logX() ? Charts::powerOfTwoTick : Charts::tick);
        double[] y = yRange(spec);
        // on a log axis spanning a small factor, every tick is labelled; on a wide one, 1-2-5 ticks only
        double lowest = y[0];
        double highest = y[1];
        for (ChartSpec.Guide g : spec.guides()) {
            for (ChartSpec.Point p : g.points()) {
                lowest = Math.min(lowest, p.y());
                highest = Math.max(highest, p.y());
            }
        }
        boolean wide = lowest > 0 && highest / lowest > 6;
        chart.getStyler().setYAxisTickLabelsFormattingFunction(spec.logY() && wide ? Charts::logTick : Charts::tick);

        // unmeasured points sit just below the data (and below a fixed axis minimum, so that a cross is never
        // read as a measured value of that minimum, e.g. 0 % accuracy)
        double bottom = y[0];
        if (spec.yMin() != null) {
            double top = spec.yMax() != null ? spec.yMax() : y[1];
            double range = Math.max(1e-9, top - spec.yMin());
            bottom = spec.unmeasured().isEmpty() ? spec.yMin() : spec.yMin() - 0.05 * range;
            chart.getStyler().setYAxisMin(spec.unmeasured().isEmpty() ? spec.yMin() : spec.yMin() - 0.08 * range);
        } else if (!spec.unmeasured().isEmpty()) {
            chart.getStyler().setYAxisMin(bottom);
        }
        double marks = bottom;
        if (spec.yMax() != null) {
            chart.getStyler().setYAxisMax(spec.yMax());
        }

        for (ChartSpec.Line line : spec.lines()) {
            if (line.points().isEmpty()) {
                continue;
            }
            Color color = color(line.type(), line.variant());
            String name = legend(line.label(), chart);
            if (line.hasBand()) {
                List<Double> bx = new ArrayList<>();
                List<Double> by = new ArrayList<>();
                for (ChartSpec.Point p : line.points()) {
                    bx.add(fx.applyAsDouble(p.x()));
                    by.add(p.hi() == null ? p.y() : p.hi());
                }
                for (int i = line.points().size() - 1; i >= 0; i--) {
                    ChartSpec.Point p = line.points().get(i);
                    bx.add(fx.applyAsDouble(p.x()));
                    by.add(p.lo() == null ? p.y() : p.lo());
                }
                XYSeries band = chart.addSeries(name + " · range", bx, by);
                band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                band.setFillColor(Palette.translucent(color, 45));
                band.setLineColor(Palette.translucent(color, 0));
                band.setMarker(SeriesMarkers.NONE);
                band.setShowInLegend(false);
            }
            XYSeries s = chart.addSeries(name, line.points().stream().map(p -> fx.applyAsDouble(p.x())).toList(),
                    line.points().stream().map(ChartSpec.Point::y).toList());
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setMarker(Palette.marker(line.variant()));
            s.setLineStyle(Palette.stroke(line.variant(), 2.2f));
        }
        float[][] guideDashes = {{7f, 5f}, {2f, 4f}, {10f, 4f, 2f, 4f}};
        for (int i = 0; i < spec.guides().size(); i++) {
            ChartSpec.Guide g = spec.guides().get(i);
            XYSeries s = chart.addSeries(legend(g.label(), chart),
                    g.points().stream().map(p -> fx.applyAsDouble(p.x())).toList(),
                    g.points().stream().map(ChartSpec.Point::y).toList());
            s.setLineColor(GUIDE);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                    guideDashes[i % guideDashes.length], 0f));
        }
        for (ChartSpec.Vertical v : spec.verticals()) {
            double lo = spec.yMin() != null ? spec.yMin() : y[0];
            double hi = spec.yMax() != null ? spec.yMax() : y[1];
            double x = fx.applyAsDouble(v.x());
            XYSeries s = chart.addSeries(legend(v.label(), chart), List.of(x, x), List.of(lo, hi));
            s.setLineColor(Color.DARK_GRAY);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(SeriesLines.DASH_DOT);
        }
        // unmeasured points: crosses on the bottom edge, one legend entry per series
        Map<String, List<ChartSpec.Unmeasured>> bySeries = new LinkedHashMap<>();
        spec.unmeasured().forEach(u -> bySeries.computeIfAbsent(u.series(), k -> new ArrayList<>()).add(u));
        int index = 0;
        for (Map.Entry<String, List<ChartSpec.Unmeasured>> e : bySeries.entrySet()) {
            ChartSpec.Unmeasured first = e.getValue().get(0);
            String what = String.join(", ", e.getValue().stream().map(ChartSpec.Unmeasured::status).distinct()
                    .toList());
            XYSeries s = chart.addSeries(legend("✗ " + e.getKey() + ": " + what, chart),
                    e.getValue().stream().map(u -> fx.applyAsDouble(u.x())).toList(),
                    e.getValue().stream().map(u -> marks).toList());
            Color c = first.type() == null ? SERIES[index++ % SERIES.length] : Palette.of(first.type());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CROSS);
            s.setMarkerColor(c);
        }
        if (chart.getSeriesCollection().isEmpty()) {
            throw new IllegalStateException("chart " + spec.id() + " has nothing to draw");
        }
        save(chart, dir, spec.id());
        return new ChartRef(spec.title(), spec.id(), spec.caption(), unmeasured(spec), table(spec));
    }

    /** Draws a grouped bar chart into {@code dir}. */
    static ChartRef render(BarChartSpec spec, Path dir) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(spec.title())
                .xAxisTitle(spec.xTitle()).yAxisTitle(spec.yTitle()).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(spec.logY());
        chart.getStyler().setYAxisTickLabelsFormattingFunction(spec.logY() ? Charts::logTick : Charts::tick);
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setOverlapped(false);
        if (!spec.logY()) {
            chart.getStyler().setYAxisMin(0.0);
        }
        if (spec.yMax() != null) {
            chart.getStyler().setYAxisMax(spec.yMax());
        }
        if (spec.categories().stream().mapToInt(String::length).sum() > 90) {
            chart.getStyler().setXAxisLabelRotation(15);
        }
        for (BarChartSpec.Bars b : spec.series()) {
            // a missing bar: XChart draws nothing for NaN on a linear axis; on a log axis it needs a value, so
            // missing bars sit at the axis floor, and the data table says they are missing
            double floor = spec.logY() ? floor(spec) : 0;
            List<Double> values = b.values().stream().map(v -> v == null ? floor : v).toList();
            CategorySeries s = chart.addSeries(legend(b.label(), chart), spec.categories(), values);
            Color c = b.type() == null ? SERIES[0] : Palette.tint(b.type(), b.variant());
            s.setFillColor(c);
            s.setLineColor(c);
        }
        save(chart, dir, spec.id());
        return new ChartRef(spec.title(), spec.id(), spec.caption(), List.of(), table(spec));
    }

    private static double floor(BarChartSpec spec) {
        double min = spec.series().stream().flatMap(s -> s.values().stream()).filter(v -> v != null && v > 0)
                .mapToDouble(Double::doubleValue).min().orElse(1);
        return Math.pow(10, Math.floor(Math.log10(min)));
    }

    private static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0x999999));
        s.setPlotGridLinesColor(GRID);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(new Color(0xCCCCCC));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAntiAlias(true);
        s.setXAxisLogarithmicDecadeOnly(false);
        s.setYAxisLogarithmicDecadeOnly(false);
    }

    /** Tick labels: 1,024 not 1.024E3; 0.05 not 5E-2; no trailing zeros. */
    static String tick(Double v) {
        if (v == null) {
            return "";
        }
        double a = Math.abs(v);
        if (a >= 1e6) {
            double exp = Math.log10(a);
            return exp == Math.rint(exp) ? "1e" + (int) exp : String.format(Locale.ROOT, "%.2g", v);
        }
        if (a >= 1 && a == Math.rint(a)) {
            return String.format(Locale.ROOT, "%,d", Math.round(v));
        }
        if (a == 0) {
            return "0";
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** A tick of a log axis: labelled at 1, 2 and 5 × 10^k only, so the labels never crowd. */
    static String logTick(Double v) {
        if (v == null || v <= 0) {
            return "";
        }
        double mantissa = v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
        for (double m : new double[]{1, 2, 5}) {
            if (Math.abs(mantissa - m) < 1e-6) {
                return tick(v);
            }
        }
        return "";
    }

    /**
     * A legend entry short enough to leave the plot its width (the full names are in the data table below
     * each chart), and unique within the chart as XChart requires.
     */
    static String legend(String label, Chart<?, ?> chart) {
        String shortened = label.length() <= LEGEND_CHARS ? label : label.substring(0, LEGEND_CHARS - 1) + "…";
        String unique = shortened;
        for (int n = 2; chart.getSeries(unique) != null || chart.getSeries(unique + " · range") != null; n++) {
            unique = shortened + " #" + n;
        }
        return unique;
    }

    /** A tick of a log2 axis: "1,024" at integers (powers of two), nothing between them. */
    static String powerOfTwoTick(Double exponent) {
        if (exponent == null || Math.abs(exponent - Math.rint(exponent)) > 1e-9) {
            return "";
        }
        return Formats.length(Math.pow(2, Math.rint(exponent)));
    }

    private static Color color(String type, int variant) {
        return type == null ? SERIES[Math.floorMod(variant, SERIES.length)] : Palette.of(type);
    }

    /** The data's y range (lines, bands, guides), widened for the unmeasured marks below it. */
    static double[] yRange(ChartSpec spec) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (ChartSpec.Line l : spec.lines()) {
            for (ChartSpec.Point p : l.points()) {
                lo = Math.min(lo, p.lo() == null ? p.y() : Math.min(p.y(), p.lo()));
                hi = Math.max(hi, p.hi() == null ? p.y() : Math.max(p.y(), p.hi()));
            }
        }
        if (lo > hi) { // nothing measured: an arbitrary range for the marks
            return spec.logY() ? new double[]{1, 10} : new double[]{0, 1};
        }
        if (!spec.unmeasured().isEmpty()) {
            lo = spec.logY() ? lo / 2 : lo - Math.max(1e-9, (hi - lo) * 0.08);
        }
        return new double[]{lo, hi};
    }

    /** The unmeasured points as table rows. */
    private static List<UnmeasuredRow> unmeasured(ChartSpec spec) {
        return spec.unmeasured().stream().map(u -> new UnmeasuredRow(u.series(), "L = " + Formats.length(u.x()),
                u.status(), u.note())).toList();
    }

    /** The plotted numbers: one row per series, one column per x. */
    static DataTable table(ChartSpec spec) {
        TreeSet<Double> xs = new TreeSet<>();
        spec.lines().forEach(l -> l.points().forEach(p -> xs.add(p.x())));
        spec.unmeasured().forEach(u -> xs.add(u.x()));
        List<String> header = new ArrayList<>();
        header.add("series \\ " + spec.xTitle().replaceAll(" \\(.*\\)$", "").replaceAll(",? log scale", ""));
        xs.forEach(x -> header.add(Formats.length(x)));
        List<List<String>> rows = new ArrayList<>();
        for (ChartSpec.Line l : spec.lines()) {
            List<String> row = new ArrayList<>();
            row.add(l.label());
            for (double x : xs) {
                String cell = "";
                for (ChartSpec.Point p : l.points()) {
                    if (p.x() == x) {
                        cell = p.lo() != null && p.hi() != null && p.hi() > p.lo()
                                ? Formats.num(p.y()) + " (" + Formats.num(p.lo()) + "–" + Formats.num(p.hi()) + ")"
                                : Formats.num(p.y());
                    }
                }
                for (ChartSpec.Unmeasured u : spec.unmeasured()) {
                    if (u.x() == x && u.series().equals(l.label())) {
                        cell = "✗ " + u.status();
                    }
                }
                row.add(cell);
            }
            rows.add(row);
        }
        return new DataTable("The plotted numbers", header, rows);
    }

    static DataTable table(BarChartSpec spec) {
        List<String> header = new ArrayList<>();
        header.add("model \\ " + spec.xTitle());
        header.addAll(spec.categories());
        List<List<String>> rows = new ArrayList<>();
        for (BarChartSpec.Bars b : spec.series()) {
            List<String> row = new ArrayList<>();
            row.add(b.label());
            b.values().forEach(v -> row.add(v == null ? "—" : Formats.num(v)));
            rows.add(row);
        }
        return new DataTable("The plotted numbers", header, rows);
    }

    /**
     * Writes {@code <dir>/<name>.png} and {@code <dir>/<name>.svg}. XChart 4.0.3 marks its SVG encoder deprecated
     * without a replacement; it is the one the issue asks for.
     */
    @SuppressWarnings("deprecation")
    static void save(Chart<?, ?> chart, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        BitmapEncoder.saveBitmapWithDPI(chart, dir.resolve(name + ".png").toString(), BitmapEncoder.BitmapFormat.PNG,
                DPI);
        try (OutputStream svg = Files.newOutputStream(dir.resolve(name + ".svg"))) {
            VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        }
    }
}
