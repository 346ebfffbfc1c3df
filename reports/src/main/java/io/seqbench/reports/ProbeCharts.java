package io.seqbench.reports;

import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Charts of the throughput and memory probes against sequence length: training throughput and step time,
 * prefill throughput, decode latency per token, peak training memory, allocation traffic, and inference state
 * size. Lengths a probe could not measure (out of memory, timeout) are marked on the chart and listed.
 */
final class ProbeCharts {
    private static final double MIB = 1024.0 * 1024.0;

    /**
     * How one chart reads a probe's metrics lines.
     *
     * @param kind  the metrics line kind it plots
     * @param value the plotted value of a line, or null
     * @param lo    the low end of the line's own spread (over repeats), or null
     * @param hi    the high end, or null
     */
    record Measure(String kind, Function<MetricsLine, Double> value, Function<MetricsLine, Double> lo,
                   Function<MetricsLine, Double> hi) {
    }

    /** A reference slope: y ∝ L^exponent through the plot's first point. */
    record Slope(double exponent, String label) {
    }

    private ProbeCharts() {
    }

    static List<ChartSpec> throughput(Catalog catalog) {
        List<ChartSpec> charts = new ArrayList<>();
        String spreadNote = " Markers: the median over the timed repeats (the mean of the seeds' medians when"
                + " there are several seeds); band: the slowest to the fastest repeat.";
        add(charts, chart(catalog, "train-throughput", "Training throughput vs length",
                "sequence length L (tokens, log scale)", "training throughput (tokens/s, log scale)",
                tokensPerSecond("throughput"),
                List.of(new Slope(0, "O(L) cost: constant tokens/s"), new Slope(-1, "O(L²) cost: tokens/s ∝ 1/L")),
                "Training tokens per second (forward, backward and optimizer step of a batch) against the sequence"
                        + " length, log-log. The dashed guides start at the plot's first point: a model whose"
                        + " step costs O(L) keeps its tokens/s flat, one whose step costs O(L²) loses it as 1/L."
                        + spreadNote));
        add(charts, chart(catalog, "train-step-time", "Training step time vs length",
                "sequence length L (tokens, log scale)", "time per training step (s, log scale)",
                seconds("throughput", 1.0),
                List.of(new Slope(1, "O(L) reference"), new Slope(2, "O(L²) reference")),
                "Wall-clock time of one training step (one batch) against the sequence length, log-log, with"
                        + " O(L) and O(L²) reference slopes through the plot's first point." + spreadNote));
        add(charts, chart(catalog, "prefill-throughput", "Prefill throughput vs length",
                "prompt length L (tokens, log scale)", "prefill throughput (tokens/s, log scale)",
                tokensPerSecond("prefill"),
                List.of(new Slope(0, "O(L) cost: constant tokens/s"), new Slope(-1, "O(L²) cost: tokens/s ∝ 1/L")),
                "Inference prefill (the parallel forward pass over a prompt, no gradients) in tokens per second"
                        + " against the prompt length, log-log, with reference slopes through the first point."
                        + spreadNote));
        add(charts, chart(catalog, "decode-latency", "Decode latency per token vs context length",
                "context length L (tokens, log scale)", "latency per generated token (ms, log scale)",
                seconds("decode", 1000.0),
                List.of(new Slope(0, "O(1) per token"), new Slope(1, "O(L) per token")),
                "Time to generate one token with the recurrent step after a context of L tokens, log-log. A"
                        + " fixed-size state (RNN, S4, Mamba) costs O(1) per token; attention over a KV cache costs"
                        + " O(L)." + spreadNote));
        return charts;
    }

    static List<ChartSpec> memory(Catalog catalog) {
        List<ChartSpec> charts = new ArrayList<>();
        add(charts, chart(catalog, "train-memory", "Peak training memory vs length",
                "sequence length L (tokens, log scale)", "peak RSS above baseline (MiB, log scale)",
                new Measure("memory", m -> positive(m.measured().get("peak_minus_baseline_bytes"), 1 / MIB),
                        m -> null, m -> null),
                List.of(new Slope(1, "O(L) reference"), new Slope(2, "O(L²) reference")),
                "Peak resident memory of a fresh JVM training at length L, minus its resident memory before the"
                        + " model was built, log-log, one measurement per point (RSS includes JVM and allocator"
                        + " overheads). O(L) and O(L²) reference slopes start at the plot's first point."));
        add(charts, chart(catalog, "train-allocation", "Memory allocated per training step vs length",
                "sequence length L (tokens, log scale)", "bytes allocated per step (MiB, log scale)",
                new Measure("memory", m -> positive(m.values().get("allocated_bytes_per_step"), 1 / MIB),
                        m -> null, m -> null),
                List.of(new Slope(1, "O(L) reference"), new Slope(2, "O(L²) reference")),
                "Array memory allocated by one training step, counted exactly op by op (deterministic, unlike RSS),"
                        + " log-log, with O(L) and O(L²) reference slopes through the plot's first point."));
        return charts;
    }

    /** Inference state per sequence against context length, one line per model config. */
    static ChartSpec stateSize(Catalog catalog) {
        ChartSpec.Builder chart = new ChartSpec.Builder("state-size", "Inference state size vs context length",
                "context length L (tokens, log scale)", "inference state per sequence (scalars, log scale)")
                .logX().logY();
        Map<String, RunGroup> first = new LinkedHashMap<>();
        catalog.groups().forEach(g -> first.putIfAbsent(g.modelKey(), g));
        ModelSizes.states(catalog).forEach((key, sizes) -> {
            if (!sizes.isEmpty()) {
                RunGroup g = first.get(key);
                List<ChartSpec.Point> ps = new ArrayList<>();
                sizes.forEach((x, y) -> ps.add(ChartSpec.Point.of(x, y)));
                chart.line(new ChartSpec.Line(g.modelLabel(), g.type(), g.variant(), ps));
            }
        });
        slopes(chart, List.of(new Slope(0, "O(1): fixed-size state"), new Slope(1, "O(L): grows with context")));
        return chart.caption("The state a model carries from token to token when generating (recurrent state,"
                + " convolution window, or KV cache), in scalars per sequence (× 4 bytes in float32), against the"
                + " context length, log-log. Exact (analytic) values from the runs' summaries (at 1,024 and"
                + " 16,384 tokens) and from the probes at their lengths. Dashed guides: constant and linear"
                + " growth through the first point.").build();
    }

    private static void add(List<ChartSpec> charts, ChartSpec chart) {
        if (chart.hasData()) {
            charts.add(chart);
        }
    }

    static Measure tokensPerSecond(String kind) {
        return new Measure(kind,
                m -> {
                    Double tps = m.measured().get("tokens_per_second");
                    return tps != null && tps > 0 ? tps
                            : ratio(m.values().get("tokens"), m.measured().get("median_seconds"));
                },
                m -> ratio(m.values().get("tokens"), m.measured().get("max_seconds")),
                m -> ratio(m.values().get("tokens"), m.measured().get("min_seconds")));
    }

    static Measure seconds(String kind, double scale) {
        return new Measure(kind, m -> positive(m.measured().get("median_seconds"), scale),
                m -> positive(m.measured().get("min_seconds"), scale),
                m -> positive(m.measured().get("max_seconds"), scale));
    }

    private static Double ratio(Double a, Double b) {
        return a == null || b == null || b <= 0 || a <= 0 ? null : a / b;
    }

    private static Double positive(Double v, double scale) {
        return v == null || !(v > 0) ? null : v * scale;
    }

    /**
     * One series per probe experiment that has lines of the measure's kind; per length the mean of its seeds'
     * values, with a band from the lowest to the highest repeat; failed points marked.
     */
    static ChartSpec chart(Catalog catalog, String id, String title, String xTitle, String yTitle, Measure measure,
                           List<Slope> slopes, String caption) {
        ChartSpec.Builder chart = new ChartSpec.Builder(id, title, xTitle, yTitle).logX().logY();
        for (RunGroup g : catalog.groups()) {
            if ("train".equals(g.kind())) {
                continue;
            }
            TreeMap<Integer, List<Double>> values = new TreeMap<>();
            TreeMap<Integer, double[]> bands = new TreeMap<>();
            TreeMap<Integer, MetricsLine> failed = new TreeMap<>();
            for (RunRecord r : g.runs()) {
                for (MetricsLine m : r.metrics()) {
                    if (!measure.kind().equals(m.kind())) {
                        continue;
                    }
                    if (!m.ok()) {
                        failed.putIfAbsent(m.length(), m);
                        continue;
                    }
                    Double v = measure.value().apply(m);
                    if (v == null) {
                        continue;
                    }
                    values.computeIfAbsent(m.length(), k -> new ArrayList<>()).add(v);
                    Double lo = measure.lo().apply(m);
                    Double hi = measure.hi().apply(m);
                    double[] band = bands.computeIfAbsent(m.length(),
                            k -> new double[]{Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
                    band[0] = Math.min(band[0], Math.min(v, lo == null ? v : lo));
                    band[1] = Math.max(band[1], Math.max(v, hi == null ? v : hi));
                }
            }
            failed.keySet().removeAll(values.keySet()); // measured by another seed
            if (values.isEmpty() && failed.isEmpty()) {
                continue;
            }
            List<ChartSpec.Point> points = new ArrayList<>();
            values.forEach((len, vs) -> {
                Spread s = Spread.of(vs);
                double[] band = bands.get(len);
                points.add(new ChartSpec.Point(len, s.mean(), band[0], band[1], vs.size()));
            });
            String label = g.legend();
            chart.line(new ChartSpec.Line(label, g.type(), g.variant(), points));
            failed.forEach((len, m) -> chart.unmeasured(new ChartSpec.Unmeasured(label, g.type(), len,
                    m.status(), m.note() == null || m.note().isBlank() ? m.status() + " at L = " + Formats.length(len)
                    : m.note())));
        }
        slopes(chart, slopes);
        String unmeasuredNote = chart.build().unmeasured().isEmpty() ? ""
                : " ✗ on the x axis: lengths that could not be measured (out of memory, timeout), listed below.";
        return chart.caption(caption + unmeasuredNote).build();
    }

    /**
     * Adds dashed reference slopes y = y₀·(L/L₀)^p through the plot's first point (the smallest L; the first
     * series on ties), across the plot's lengths, cut where they leave the data's range by more than 3×.
     */
    static void slopes(ChartSpec.Builder chart, List<Slope> slopes) {
        ChartSpec.Point anchor = null;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (ChartSpec.Line line : chart.lines()) {
            for (ChartSpec.Point p : line.points()) {
                if (anchor == null || p.x() < anchor.x()) {
                    anchor = p;
                }
                xMax = Math.max(xMax, p.x());
                yMin = Math.min(yMin, p.y());
                yMax = Math.max(yMax, p.y());
            }
        }
        if (anchor == null || xMax <= anchor.x() || anchor.y() <= 0) {
            return; // a single length has no slope to compare
        }
        double lowest = yMin / 3;
        double highest = yMax * 3;
        for (Slope s : slopes) {
            double end = xMax;
            if (s.exponent() > 0) {
                end = Math.min(end, anchor.x() * Math.pow(highest / anchor.y(), 1 / s.exponent()));
            } else if (s.exponent() < 0) {
                end = Math.min(end, anchor.x() * Math.pow(lowest / anchor.y(), 1 / s.exponent()));
            }
            List<ChartSpec.Point> points = new ArrayList<>();
            int steps = 16;
            for (int i = 0; i <= steps; i++) {
                double x = anchor.x() * Math.pow(end / anchor.x(), (double) i / steps);
                points.add(ChartSpec.Point.of(x, anchor.y() * Math.pow(x / anchor.x(), s.exponent())));
            }
            chart.guide(new ChartSpec.Guide(s.label(), points));
        }
    }
}
