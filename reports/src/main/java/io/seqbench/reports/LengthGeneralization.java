package io.seqbench.reports;

import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.Summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Length generalization, one chart per task: the final held-out metric against the evaluation length (log x),
 * the training length marked. A length a model cannot run at (e.g. learned positions beyond their table) is
 * marked as unsupported rather than left out.
 */
final class LengthGeneralization {
    private LengthGeneralization() {
    }

    static List<ChartSpec> charts(Catalog catalog) {
        List<ChartSpec> charts = new ArrayList<>();
        for (Map.Entry<String, List<RunGroup>> task : LearningCurves.byTask(catalog).entrySet()) {
            List<RunRecord> all = task.getValue().stream().flatMap(g -> g.completed().stream()).toList();
            if (all.stream().noneMatch(r -> !r.summary().lengths().isEmpty())) {
                continue;
            }
            TaskMetric metric = TaskMetric.of(all);
            ChartSpec.Builder chart = new ChartSpec.Builder("length-" + Formats.slug(task.getKey()),
                    "Length generalization: " + task.getKey(), "evaluation length (tokens, log scale)",
                    "held-out " + metric.title()).logX();
            if (metric == TaskMetric.ACCURACY) {
                chart.yRange(0.0, 100.0);
            }
            TreeSet<Integer> trainingLengths = new TreeSet<>();
            int seeded = 0;
            for (RunGroup g : task.getValue()) {
                TreeMap<Integer, List<Double>> byLength = new TreeMap<>();
                TreeMap<Integer, RunRecord> unsupported = new TreeMap<>();
                for (RunRecord r : g.completed()) {
                    Integer trained = trainingLength(r);
                    Double last = metric.shown(r.summary().finalEval());
                    if (trained != null && last != null) {
                        trainingLengths.add(trained);
                        byLength.computeIfAbsent(trained, k -> new ArrayList<>()).add(last);
                    }
                    for (Summary.LengthResult l : r.summary().lengths()) {
                        Double v = metric.shown(l.values());
                        if (!l.supported()) {
                            unsupported.putIfAbsent(l.length(), r);
                        } else if (v != null) {
                            byLength.computeIfAbsent(l.length(), k -> new ArrayList<>()).add(v);
                        }
                    }
                }
                if (byLength.isEmpty() && unsupported.isEmpty()) {
                    continue;
                }
                seeded = Math.max(seeded, g.completed().size());
                List<ChartSpec.Point> points = new ArrayList<>();
                byLength.forEach((len, values) -> points.add(ChartSpec.Point.of(len, Spread.of(values))));
                String label = g.completed().size() > 1 ? g.label() + " (" + g.completed().size() + " seeds)"
                        : g.label();
                chart.line(new ChartSpec.Line(label, g.type(), g.variant(), points));
                unsupported.forEach((len, r) -> chart.unmeasured(new ChartSpec.Unmeasured(label, g.type(), len,
                        "unsupported", "the model cannot run at L = " + Formats.length(len)
                        + " (e.g. learned positions end at the training length)")));
            }
            for (int l : trainingLengths) {
                chart.vertical(new ChartSpec.Vertical("training length (L = " + Formats.length(l) + ")", l));
            }
            chart.caption(String.format(Locale.ROOT, "Held-out %s after training, at the training length (dashed"
                            + " vertical line) and at the evaluation lengths of each spec (%s is better). %s"
                            + "Lengths a model cannot run at are marked ✗ on the x axis and listed below.",
                    metric.title(), metric.higherIsBetter ? "higher" : "lower",
                    seeded > 1 ? "Lines are means over the completed seeds; bands span their minimum to maximum. "
                            : "One completed seed per experiment, so no spread band. "));
            charts.add(chart.build());
        }
        return charts;
    }

    /** The length of the run's held-out evaluations at the training length (its eval lines), or null. */
    static Integer trainingLength(RunRecord r) {
        Integer length = null;
        for (MetricsLine m : r.metrics()) {
            if (MetricsLine.EVAL.equals(m.kind()) && m.length() > 0) {
                length = m.length();
            }
        }
        return length;
    }
}
