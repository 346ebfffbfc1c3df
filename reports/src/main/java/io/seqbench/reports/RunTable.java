package io.seqbench.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunStatus;
import io.seqbench.harness.store.Summary;
import io.seqbench.reports.ReportModel.Counts;
import io.seqbench.reports.ReportModel.RunRow;
import io.seqbench.reports.ReportModel.UnmeasuredRow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The per-run details: one row per run, what each could not measure, and the counts by status. */
final class RunTable {
    private static final Pattern LINE_PROBLEM = Pattern.compile("^(\\S+) line (\\d+) is (.*)$");

    private RunTable() {
    }

    static List<RunRow> rows(Catalog catalog) {
        List<RunRow> rows = new ArrayList<>();
        for (RunGroup g : catalog.groups()) {
            for (RunRecord r : g.runs()) {
                Summary s = r.summary();
                TaskMetric metric = TaskMetric.of(List.of(r));
                Double value = s == null ? null : metric.shown(s.finalEval());
                rows.add(new RunRow(r.id(), Catalog.name(r), g.kind(), g.modelLabel(), Palette.hex(g.type()),
                        g.taskLabel(), spec(r), LearningCurves.status(r), steps(r),
                        parameters(r), value == null ? "" : metric.name + " " + Formats.num(value) + " " + metric.unit,
                        r.info() == null || r.info().wallSeconds() == null ? "—"
                                : Formats.duration(r.info().wallSeconds()),
                        reason(r), String.join("; ", compact(r.problems()))));
            }
        }
        return rows;
    }

    static Counts counts(List<RunRecord> records) {
        int completed = 0;
        int failed = 0;
        int interrupted = 0;
        int running = 0;
        int unreadable = 0;
        for (RunRecord r : records) {
            if (r.status() == null) {
                unreadable++;
            } else {
                switch (r.status()) {
                    case COMPLETED -> completed++;
                    case FAILED -> failed++;
                    case INTERRUPTED -> interrupted++;
                    case RUNNING -> running++;
                }
            }
        }
        return new Counts(records.size(), completed, failed, interrupted, running, unreadable);
    }

    /** Runs that did not complete, probe points that could not be measured, unsupported evaluation lengths. */
    static List<UnmeasuredRow> unmeasured(Catalog catalog) {
        List<UnmeasuredRow> rows = new ArrayList<>();
        for (RunGroup g : catalog.groups()) {
            for (RunRecord r : g.runs()) {
                String name = Catalog.name(r);
                if (r.status() != RunStatus.COMPLETED) {
                    rows.add(new UnmeasuredRow(name, "the run (" + r.id() + ")", LearningCurves.status(r), reason(r)));
                }
                for (MetricsLine m : r.metrics()) {
                    if (!m.ok()) {
                        rows.add(new UnmeasuredRow(name, m.kind() + " at L = " + Formats.length(m.length()),
                                m.status(), m.note() == null ? "" : m.note()));
                    }
                }
                if (r.summary() != null) {
                    for (Summary.LengthResult l : r.summary().lengths()) {
                        if (!l.supported()) {
                            rows.add(new UnmeasuredRow(name, "evaluation at L = " + Formats.length(l.length()),
                                    "unsupported", "the model cannot run at this length"));
                        }
                    }
                }
            }
        }
        return rows;
    }

    static String reason(RunRecord r) {
        if (r.status() == null) {
            return "run.json is unreadable";
        }
        return switch (r.status()) {
            case FAILED -> r.info().failure() == null ? "failed (no reason recorded)"
                    : "step " + r.info().failure().step() + ": " + r.info().failure().reason();
            case INTERRUPTED -> r.info().failure() != null
                    ? "interrupted at step " + r.info().failure().step() + ": " + r.info().failure().reason()
                    : "its process is gone before the run finished; `seqbench resume` continues it from"
                    + " its last checkpoint";
            case RUNNING -> "still running (on " + r.info().host() + ", pid " + r.info().pid() + ")";
            case COMPLETED -> "";
        };
    }

    private static String steps(RunRecord r) {
        if (r.summary() != null) {
            return Formats.count(r.summary().steps());
        }
        String planned = r.specValue("train.steps");
        long done = r.metrics().stream().filter(m -> MetricsLine.TRAIN.equals(m.kind()))
                .mapToLong(MetricsLine::step).max().orElse(-1);
        if (planned == null) {
            return "—";
        }
        return done < 0 ? "0 of " + planned : done + " of " + planned;
    }

    private static String parameters(RunRecord r) {
        Double p = ModelSizes.parameters(r);
        return p == null ? "" : Formats.count(Math.round(p));
    }

    /** The settings that matter, in one line: model, task, training or probe, seed. */
    static String spec(RunRecord r) {
        if (r.spec() == null) {
            return "spec.yaml unreadable";
        }
        List<String> parts = new ArrayList<>();
        parts.add(section(r.spec().get("model"), "type"));
        JsonNode task = r.spec().get("task");
        if (task != null) {
            parts.add(task.path("type").asText("task") + ": " + section(task, "type"));
        }
        JsonNode train = r.spec().get("train");
        if (train != null) {
            parts.add(train.path("steps").asText("?") + " steps × batch " + train.path("batch_size").asText("?")
                    + ", lr " + train.path("learning_rate").asText("?"));
        }
        JsonNode probe = r.spec().get("probe");
        if (probe != null) {
            parts.add("probe: " + section(probe, ""));
        }
        parts.add("seed " + r.spec().path("seed").asText("?"));
        return String.join("; ", parts.stream().filter(p -> !p.isBlank()).toList());
    }

    private static String section(JsonNode node, String skip) {
        if (node == null) {
            return "";
        }
        List<String> kv = new ArrayList<>();
        SpecTrees.flatten(node).forEach((k, v) -> {
            if (!k.equals(skip)) {
                kv.add(k + "=" + v);
            }
        });
        return String.join(" ", kv);
    }

    /** "metrics.jsonl line 3 is unparsable …" ×167 → one sentence with the count and the line range. */
    static List<String> compact(List<String> problems) {
        Map<String, List<Integer>> byKind = new LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        for (String p : problems) {
            Matcher m = LINE_PROBLEM.matcher(p);
            if (m.matches()) {
                byKind.computeIfAbsent(m.group(1) + "\u0000" + m.group(3), k -> new ArrayList<>())
                        .add(Integer.parseInt(m.group(2)));
            } else {
                out.add(p);
            }
        }
        byKind.forEach((k, lines) -> {
            String[] parts = k.split("\u0000");
            if (lines.size() == 1) {
                out.add(parts[0] + " line " + lines.get(0) + " is " + parts[1]);
            } else {
                out.add(parts[0] + ": " + lines.size() + " lines (" + lines.get(0) + "–" + lines.get(lines.size() - 1)
                        + ") are " + parts[1].replace(" and was skipped", " and were skipped"));
            }
        });
        return out;
    }
}
