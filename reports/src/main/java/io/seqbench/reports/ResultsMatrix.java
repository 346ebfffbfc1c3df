package io.seqbench.reports;

import io.seqbench.harness.store.RunRecord;
import io.seqbench.reports.ReportModel.Cell;
import io.seqbench.reports.ReportModel.Column;
import io.seqbench.reports.ReportModel.ResultRow;
import io.seqbench.reports.ReportModel.ResultsTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The final results matrix: one row per task, one column per model, each cell the mean over seeds of the final
 * held-out metric (its min–max in brackets when seeds disagree), the best value of each task highlighted. Runs
 * that did not complete show their failure instead of a value.
 */
final class ResultsMatrix {
    /** One experiment's final value in a cell. */
    record Entry(RunGroup group, Spread value, String failure) {
    }

    private ResultsMatrix() {
    }

    /** The matrix, or null when there is no training run. */
    static ResultsTable table(Catalog catalog) {
        Map<String, List<RunGroup>> tasks = LearningCurves.byTask(catalog);
        if (tasks.isEmpty()) {
            return null;
        }
        Map<String, RunGroup> models = columns(catalog);
        List<Column> columns = models.values().stream().map(g -> new Column(g.modelLabel(), g.type(),
                Palette.family(g.type()), Palette.hex(g.type()))).toList();
        List<ResultRow> rows = new ArrayList<>();
        for (Map.Entry<String, List<RunGroup>> task : tasks.entrySet()) {
            List<RunRecord> all = task.getValue().stream().flatMap(g -> g.runs().stream()).toList();
            TaskMetric metric = TaskMetric.of(all);
            Map<String, List<Entry>> byModel = entries(task.getValue(), metric);
            Double best = null;
            for (List<Entry> es : byModel.values()) {
                for (Entry e : es) {
                    if (e.value() != null && (best == null || metric.better(e.value().mean(), best))) {
                        best = e.value().mean();
                    }
                }
            }
            List<Cell> cells = new ArrayList<>();
            for (String model : models.keySet()) {
                cells.add(cell(byModel.getOrDefault(model, List.of()), best, byModel.size()));
            }
            Double reference = LearningCurves.reference(all, metric);
            rows.add(new ResultRow(task.getKey(), metric.title(), metric.higherIsBetter ? "higher" : "lower",
                    reference == null ? "" : metric.referenceLabel + ": " + Formats.num(reference), cells));
        }
        return new ResultsTable(columns, rows);
    }

    /** The model columns, in report order: model label → its first training group. */
    static Map<String, RunGroup> columns(Catalog catalog) {
        Map<String, RunGroup> models = new LinkedHashMap<>();
        catalog.groups().stream().filter(RunGroup::isTraining).forEach(g -> models.putIfAbsent(g.modelLabel(), g));
        return models;
    }

    /** Each model's experiments on one task with their final values. */
    static Map<String, List<Entry>> entries(List<RunGroup> groups, TaskMetric metric) {
        Map<String, List<Entry>> byModel = new LinkedHashMap<>();
        for (RunGroup g : groups) {
            List<Double> values = new ArrayList<>();
            for (RunRecord r : g.completed()) {
                Double v = metric.shown(r.summary().finalEval());
                if (v != null) {
                    values.add(v);
                }
            }
            String failure = null;
            if (values.isEmpty()) {
                RunRecord r = g.runs().get(g.runs().size() - 1);
                failure = LearningCurves.status(r) + (r.info() != null && r.info().failure() != null
                        ? ": " + r.info().failure().reason() : "");
            }
            byModel.computeIfAbsent(g.modelLabel(), k -> new ArrayList<>())
                    .add(new Entry(g, values.isEmpty() ? null : Spread.of(values), failure));
        }
        return byModel;
    }

    private static Cell cell(List<Entry> entries, Double best, int modelsOnTask) {
        if (entries.isEmpty()) {
            return new Cell("", "not run", false, false);
        }
        List<String> texts = new ArrayList<>();
        List<String> details = new ArrayList<>();
        boolean isBest = false;
        boolean failed = true;
        for (Entry e : entries) {
            String prefix = entries.size() > 1 ? e.group().label() + ": " : "";
            if (e.value() != null) {
                texts.add(prefix + Formats.spread(e.value()));
                failed = false;
                isBest |= best != null && e.value().mean() == best && modelsOnTask > 1;
            } else {
                texts.add(prefix + e.failure());
            }
            int n = e.value() == null ? 0 : e.value().n();
            details.add(e.group().label() + " (" + n + " of " + e.group().runs().size() + " seeds completed)");
        }
        return new Cell(String.join("; ", texts), String.join("; ", details), isBest, failed);
    }

    /** Bar charts of the matrix: one for the accuracy tasks, one for the bits-per-character tasks. */
    static List<BarChartSpec> charts(Catalog catalog) {
        Map<String, List<RunGroup>> tasks = LearningCurves.byTask(catalog);
        Map<String, RunGroup> models = columns(catalog);
        List<BarChartSpec> charts = new ArrayList<>();
        for (TaskMetric metric : TaskMetric.values()) {
            List<String> categories = new ArrayList<>();
            Map<String, List<Double>> values = new LinkedHashMap<>();
            models.keySet().forEach(m -> values.put(m, new ArrayList<>()));
            for (Map.Entry<String, List<RunGroup>> task : tasks.entrySet()) {
                List<RunRecord> all = task.getValue().stream().flatMap(g -> g.runs().stream()).toList();
                if (TaskMetric.of(all) != metric) {
                    continue;
                }
                categories.add(task.getKey());
                Map<String, List<Entry>> byModel = entries(task.getValue(), metric);
                for (String m : models.keySet()) {
                    // several experiments of one model on one task: the bar shows the first that has a value
                    values.get(m).add(byModel.getOrDefault(m, List.of()).stream().filter(e -> e.value() != null)
                            .map(e -> e.value().mean()).findFirst().orElse(null));
                }
            }
            List<BarChartSpec.Bars> bars = new ArrayList<>();
            models.forEach((label, g) -> {
                if (values.get(label).stream().anyMatch(v -> v != null)) {
                    bars.add(new BarChartSpec.Bars(label, g.type(), g.variant(), values.get(label)));
                }
            });
            if (categories.isEmpty() || bars.isEmpty()) {
                continue;
            }
            charts.add(new BarChartSpec("final-" + Formats.slug(metric.key), "Final results: " + metric.name,
                    "task", "held-out " + metric.title(), false, metric == TaskMetric.ACCURACY ? 100.0 : null,
                    categories, bars,
                    "The final held-out " + metric.title() + " of each model on each task at the training length ("
                            + (metric.higherIsBetter ? "higher" : "lower") + " is better): the mean over completed"
                            + " seeds, as in the matrix above. A missing bar: the model did not run or complete"
                            + " the task."));
        }
        return charts;
    }
}
