package io.seqbench.reports;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Renders report charts with XChart, each as PNG and SVG, in a consistent style. */
final class Charts {
    static final int WIDTH = 900;
    static final int HEIGHT = 520;

    private Charts() {
    }

    /** A line chart with titled axes (units in the titles) and a legend. */
    static XYChart lineChart(String title, String xAxis, String yAxis) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xAxis).yAxisTitle(yAxis).build();
        Styler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        return chart;
    }

    /** Adds a series in the given colour with small markers. */
    static void addSeries(XYChart chart, String name, List<? extends Number> x, List<? extends Number> y,
                          Color color) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(SeriesMarkers.CIRCLE);
    }

    /**
     * Writes {@code <dir>/<name>.png} and {@code <dir>/<name>.svg}.
     *
     * @return the base name, for the templates
     */
    static String save(XYChart chart, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        BitmapEncoder.saveBitmapWithDPI(chart, dir.resolve(name + ".png").toString(), BitmapEncoder.BitmapFormat.PNG,
                110);
        VectorGraphicsEncoder.saveVectorGraphic(chart, dir.resolve(name + ".svg").toString(),
                VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return name;
    }
}
