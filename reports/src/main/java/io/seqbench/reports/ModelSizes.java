package io.seqbench.reports;

import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.reports.ReportModel.DataTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The size of each model config: trainable parameters (per task: the embedding and head grow with the
 * vocabulary) as a bar chart, and a table of parameters and inference state per sequence at 1,024 and 16,384
 * tokens of context. (State against every context length is charted in the memory section, log-log: XChart's
 * bar charts have no logarithmic axis, and states differ by orders of magnitude.)
 */
final class ModelSizes {
    private static final List<Integer> CONTEXTS = List.of(1024, 16384);

    private ModelSizes() {
    }

    static List<BarChartSpec> charts(Catalog catalog) {
        BarChartSpec params = parameters(catalog);
        return params.hasData() ? List.of(params) : List.of();
    }

    /** Parameters of each model config on each task (probes: "probe (vocab V)"). */
    static BarChartSpec parameters(Catalog catalog) {
        Map<String, RunGroup> models = new LinkedHashMap<>();
        Map<String, Map<String, Double>> byModel = byModel(catalog, models);
        List<String> categories = new ArrayList<>();
        byModel.values().forEach(m -> m.keySet().forEach(c -> {
            if (!categories.contains(c)) {
                categories.add(c);
            }
        }));
        List<BarChartSpec.Bars> bars = new ArrayList<>();
        models.forEach((key, g) -> bars.add(new BarChartSpec.Bars(g.modelLabel(), g.type(), g.variant(),
                categories.stream().map(c -> byModel.get(key).get(c)).toList())));
        return new BarChartSpec("parameters", "Trainable parameters per model", "task",
                "trainable parameters (count)", false, null, categories, bars,
                "Trainable scalar parameters of each model config, per task (the token embedding and output head"
                        + " grow with the task's vocabulary; probes use a small synthetic vocabulary). From the runs'"
                        + " summaries and the memory probes.");
    }

    /** Model key → category (task, or "probe (vocab V)") → parameters. */
    private static Map<String, Map<String, Double>> byModel(Catalog catalog, Map<String, RunGroup> models) {
        Map<String, Map<String, Double>> byModel = new LinkedHashMap<>();
        for (RunGroup g : catalog.groups()) {
            for (RunRecord r : g.runs()) {
                Double p = parameters(r);
                if (p == null) {
                    continue;
                }
                String category = g.isTraining() ? g.taskLabel()
                        : "probe (vocab " + Objects.requireNonNullElse(r.specValue("probe.vocab"), "?") + ")";
                models.putIfAbsent(g.modelKey(), g);
                byModel.computeIfAbsent(g.modelKey(), k -> new LinkedHashMap<>()).putIfAbsent(category, p);
            }
        }
        return byModel;
    }

    static Double parameters(RunRecord r) {
        if (r.summary() != null && r.summary().parameters() > 0) {
            return (double) r.summary().parameters();
        }
        for (MetricsLine m : r.metrics()) {
            Double p = m.values().get("parameters");
            if (m.ok() && p != null && p > 0) {
                return p;
            }
        }
        return null;
    }

    /** Inference state per sequence at a context length, per model key: length → scalars. */
    static Map<String, TreeMap<Integer, Double>> states(Catalog catalog) {
        Map<String, TreeMap<Integer, Double>> byModel = new LinkedHashMap<>();
        for (RunGroup g : catalog.groups()) {
            TreeMap<Integer, Double> sizes = byModel.computeIfAbsent(g.modelKey(), k -> new TreeMap<>());
            for (RunRecord r : g.runs()) {
                if (r.summary() != null && r.summary().stateSize() != null) {
                    r.summary().stateSize().forEach((len, n) -> {
                        if (len.matches("\\d{1,9}") && n != null && n > 0) {
                            sizes.putIfAbsent(Integer.parseInt(len), n.doubleValue());
                        }
                    });
                }
                for (MetricsLine m : r.metrics()) {
                    Double n = m.values().get("state_elements");
                    if (m.ok() && n != null && n > 0 && m.length() > 0) {
                        sizes.putIfAbsent(m.length(), n);
                    }
                }
            }
        }
        return byModel;
    }

    /** One row per model config: family, parameters per task, state at 1K and 16K context. */
    static DataTable table(Catalog catalog) {
        Map<String, RunGroup> models = new LinkedHashMap<>();
        catalog.groups().forEach(g -> models.putIfAbsent(g.modelKey(), g));
        Map<String, Map<String, Double>> params = byModel(catalog, new LinkedHashMap<>());
        Map<String, TreeMap<Integer, Double>> states = states(catalog);
        List<String> header = new ArrayList<>(List.of("model", "family", "parameters (per task)"));
        CONTEXTS.forEach(c -> header.add("state at " + Formats.length(c) + " tokens (scalars)"));
        List<List<String>> rows = new ArrayList<>();
        models.forEach((key, g) -> {
            Map<String, Double> p = params.getOrDefault(key, Map.of());
            TreeMap<Integer, Double> s = states.getOrDefault(key, new TreeMap<>());
            if (p.isEmpty() && s.isEmpty()) {
                return;
            }
            List<String> row = new ArrayList<>(List.of(g.modelLabel(), Palette.family(g.type()),
                    String.join("; ", p.entrySet().stream().map(e -> Formats.count(Math.round(e.getValue()))
                            + " (" + e.getKey() + ")").toList())));
            CONTEXTS.forEach(c -> row.add(s.containsKey(c) ? Formats.count(Math.round(s.get(c))) + " ("
                    + Formats.bytes(4 * s.get(c)) + " in float32)" : "—"));
            rows.add(row);
        });
        return new DataTable("Parameters and inference state per model config (state: the recurrent state,"
                + " convolution window or KV cache carried per sequence while generating).", header, rows);
    }
}
