package io.seqbench.reports;

import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Learning curves, one chart per task: the held-out metric at the training length against the training step,
 * one line per experiment (the mean over its seeds at each evaluation step) with a min–max band over seeds.
 */
final class LearningCurves {
    private LearningCurves() {
    }

    /** The training groups of each task, in report order. */
    static Map<String, List<RunGroup>> byTask(Catalog catalog) {
        Map<String, List<RunGroup>> byTask = new LinkedHashMap<>();
        catalog.groups().stream().filter(RunGroup::isTraining)
                .sorted(java.util.Comparator.comparing(RunGroup::taskLabel))
                .forEach(g -> byTask.computeIfAbsent(g.taskLabel(), k -> new ArrayList<>()).add(g));
        return byTask;
    }

    static List<ChartSpec> charts(Catalog catalog) {
        List<ChartSpec> charts = new ArrayList<>();
        for (Map.Entry<String, List<RunGroup>> task : byTask(catalog).entrySet()) {
            List<RunRecord> all = task.getValue().stream().flatMap(g -> g.runs().stream()).toList();
            TaskMetric metric = TaskMetric.of(all);
            ChartSpec.Builder chart = new ChartSpec.Builder("learning-" + Formats.slug(task.getKey()),
                    "Learning curves: " + task.getKey(), "training step",
                    "held-out " + metric.title());
            if (metric == TaskMetric.ACCURACY) {
                chart.yRange(0.0, 100.0);
            }
            double firstStep = Double.POSITIVE_INFINITY;
            double lastStep = 0;
            int seeded = 0;
            for (RunGroup g : task.getValue()) {
                List<ChartSpec.Point> points = curve(g, metric);
                if (points.isEmpty()) {
                    continue;
                }
                firstStep = Math.min(firstStep, points.get(0).x());
                lastStep = Math.max(lastStep, points.get(points.size() - 1).x());
                seeded = Math.max(seeded, g.runs().size());
                chart.line(new ChartSpec.Line(legend(g), g.type(), g.variant(), points));
            }
            if (chart.lines().isEmpty()) {
                continue;
            }
            Double reference = reference(all, metric);
            if (reference != null) {
                chart.guide(new ChartSpec.Guide(metric.referenceLabel + " (" + Formats.num(reference) + ")",
                        List.of(ChartSpec.Point.of(firstStep, reference), ChartSpec.Point.of(lastStep, reference))));
            }
            chart.caption(String.format(Locale.ROOT, "Held-out %s at the training length during training "
                            + "(%s is better), one line per experiment, coloured by architecture. %s%s",
                    metric.title(), metric.higherIsBetter ? "higher" : "lower",
                    seeded > 1 ? "Where an experiment has several seeds, the line is their mean at each evaluation"
                            + " step and the shaded band spans their minimum to maximum (seed counts in the legend). "
                            : "Each experiment has one seed, so there is no spread band. ",
                    reference != null ? "The dashed line is the task's " + metric.referenceLabel + " level." : ""));
            charts.add(chart.build());
        }
        return charts;
    }

    /** The group's mean and min–max over seeds at each evaluation step (seeds that reached the step). */
    static List<ChartSpec.Point> curve(RunGroup g, TaskMetric metric) {
        TreeMap<Long, List<Double>> byStep = new TreeMap<>();
        for (RunRecord r : g.runs()) {
            for (MetricsLine m : r.metrics()) {
                Double v = MetricsLine.EVAL.equals(m.kind()) && m.ok() ? metric.shown(m.values()) : null;
                if (v != null) {
                    byStep.computeIfAbsent(m.step(), k -> new ArrayList<>()).add(v);
                }
            }
        }
        List<ChartSpec.Point> points = new ArrayList<>();
        byStep.forEach((step, values) -> points.add(ChartSpec.Point.of(step, Spread.of(values))));
        return points;
    }

    /** The legend entry: the name, seed count, and runs that did not complete. */
    static String legend(RunGroup g) {
        long bad = g.runs().stream().filter(r -> r.status() != RunStatus.COMPLETED).count();
        if (bad == 0) {
            return g.legend();
        }
        String what = g.runs().size() == 1 ? status(g.runs().get(0))
                : bad + " of " + g.runs().size() + " seeds not completed";
        return g.label() + " (" + what + ")";
    }

    static String status(RunRecord r) {
        return r.status() == null ? "unreadable" : r.status().name().toLowerCase(Locale.ROOT);
    }

    /** The task's reference value when every run that records one agrees on it, else null. */
    static Double reference(List<RunRecord> runs, TaskMetric metric) {
        List<Double> refs = runs.stream().filter(r -> r.summary() != null && r.summary().references() != null)
                .map(r -> r.summary().references().get(metric.referenceKey)).filter(Objects::nonNull)
                .distinct().toList();
        return refs.size() == 1 ? refs.get(0) * metric.scale : null;
    }
}
