package io.seqbench.reports;

import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.Summary;
import io.seqbench.harness.suite.PaperTable;
import io.seqbench.harness.suite.Suite;
import io.seqbench.reports.ReportModel.PaperRow;
import io.seqbench.reports.ReportModel.PaperView;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A suite's paper tables beside SeqBench's values. The paper's numbers are shown exactly as the suite's authors
 * typed them in, in their own column group; SeqBench's values are looked up from the run each row names and
 * shown in a separate group, never mixed.
 *
 * <p>A column named like a length ("64", "2^14", "16K", "1,024") is the held-out metric at that evaluation length:
 * the final evaluation when it is the training length, else the summary's length-generalization result. Any
 * other column is the run's final held-out metric. The metric follows the paper's ("accuracy" / "%" →
 * accuracy in percent, "perplexity", "bits per character"/"bpc"), else the run's own.
 */
final class PaperComparison {
    private static final Pattern POWER = Pattern.compile("2\\s*\\^\\s*(\\d{1,2})");
    private static final Pattern KILO = Pattern.compile("(\\d{1,6})\\s*[kK]");

    private PaperComparison() {
    }

    static List<PaperView> tables(Suite suite, List<RunRecord> records) {
        if (suite == null) {
            return List.of();
        }
        List<PaperView> views = new ArrayList<>();
        for (PaperTable t : suite.papers()) {
            views.add(view(t, records));
        }
        return views;
    }

    static PaperView view(PaperTable t, List<RunRecord> records) {
        Measure m = measure(t.metric());
        List<PaperRow> rows = new ArrayList<>();
        for (PaperTable.Row row : t.rows()) {
            List<String> paper = new ArrayList<>();
            List<String> ours = new ArrayList<>();
            List<RunRecord> runs = row.run() == null ? List.of()
                    : records.stream().filter(r -> row.run().equals(Catalog.name(r))).toList();
            for (String column : t.columns()) {
                Double v = row.values().get(column);
                paper.add(v == null ? "—" : Formats.num(v));
                ours.add(row.run() == null ? "no SeqBench run" : measured(runs, column, m));
            }
            rows.add(new PaperRow(row.label(), row.run() == null ? "—" : row.run(), paper, ours,
                    row.note() == null ? "" : row.note()));
        }
        return new PaperView(t.title(), t.source(), t.metric(), t.setup(), t.columns(),
                "SeqBench's " + m.description + " from the run each row names (the mean over its records when"
                        + " it was run more than once), measured on this machine at the suite's scale; "
                        + "length columns are held-out evaluations at that length.", rows);
    }

    /** Which recorded value a paper's metric corresponds to, and its scale. */
    record Measure(String key, double scale, String description) {
    }

    static Measure measure(String paperMetric) {
        String p = paperMetric.toLowerCase(Locale.ROOT);
        if (p.contains("perplex")) {
            return new Measure("perplexity", 1, "held-out perplexity");
        }
        if (p.contains("bits") || p.contains("bpc")) {
            return new Measure("bits_per_character", 1, "held-out bits per character");
        }
        if (p.contains("acc")) {
            boolean percent = p.contains("%") || p.contains("percent");
            return new Measure("accuracy", percent ? 100 : 1, "held-out answer accuracy"
                    + (percent ? " (recorded as a fraction, shown in %)" : ""));
        }
        return new Measure(null, 1, "final held-out metric (the task's own; the paper's metric \"" + paperMetric
                + "\" was not recognised)");
    }

    /** SeqBench's value for one cell, or why there is none. */
    static String measured(List<RunRecord> runs, String column, Measure m) {
        if (runs.isEmpty()) {
            return "not run";
        }
        List<RunRecord> done = runs.stream().filter(r -> r.summary() != null).toList();
        if (done.isEmpty()) {
            RunRecord r = runs.get(runs.size() - 1);
            return LearningCurves.status(r) + (r.info() != null && r.info().failure() != null
                    ? ": " + r.info().failure().reason() : "");
        }
        Integer length = length(column);
        List<Double> values = new ArrayList<>();
        boolean unsupported = false;
        for (RunRecord r : done) {
            Summary s = r.summary();
            String key = m.key() == null ? s.metric() : m.key();
            Map<String, Double> source = s.finalEval();
            if (length != null && !length.equals(LengthGeneralization.trainingLength(r))) {
                source = null;
                for (Summary.LengthResult l : s.lengths()) {
                    if (l.length() == length) {
                        unsupported |= !l.supported();
                        source = l.values();
                    }
                }
            }
            Double v = source == null ? null : source.get(key);
            if (v != null && !v.isNaN()) {
                values.add(v * m.scale());
            }
        }
        if (values.isEmpty()) {
            return unsupported ? "unsupported at this length" : length != null ? "not evaluated at this length"
                    : "not recorded";
        }
        Spread s = Spread.of(values);
        return Formats.spread(s) + (s.n() > 1 ? " (n=" + s.n() + ")" : "");
    }

    /** The length a column names ("64", "2^14", "16K", "1,024"), or null. */
    static Integer length(String column) {
        String c = column.trim().replace(",", "").replace("_", "");
        if (c.matches("\\d{1,9}")) {
            return Integer.parseInt(c);
        }
        Matcher p = POWER.matcher(c);
        if (p.matches()) {
            return 1 << Integer.parseInt(p.group(1));
        }
        Matcher k = KILO.matcher(c);
        if (k.matches()) {
            return Integer.parseInt(k.group(1)) * 1024;
        }
        return null;
    }
}
