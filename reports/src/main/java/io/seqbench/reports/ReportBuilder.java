package io.seqbench.reports;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import io.seqbench.harness.store.RunStatus;
import io.seqbench.harness.suite.SpecHash;
import io.seqbench.harness.suite.Suite;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds the comparison report from run records only (it never trains): {@code index.html} and
 * {@code report.md} from templates, and every chart as PNG and SVG in {@code charts/}. The folder is
 * self-contained and opens from {@code file://}. It is written beside the target and moved into place at the
 * end, so a failed report never leaves a half-written folder.
 */
public final class ReportBuilder {

    /** Where the report went and what it holds. */
    public record Result(Path index, Path markdown, int runs, int charts) {
    }

    /** One row of the runs table. */
    public record RunRow(String id, String name, String model, String task, String status, String steps,
                         String parameters, String metric, String value, String wall, String failure,
                         String problems, String color) {
    }

    /** One chart, as its file base name under charts/. */
    public record ChartRef(String title, String file, String caption) {
    }

    private ReportBuilder() {
    }

    public static Result write(Path runsDir, Path outDir) throws ReportException {
        return write(runsDir, outDir, null);
    }

    /**
     * The report of the runs of one suite: the records in {@code runsDir} whose resolved spec is one of the
     * suite's runs (all records when {@code suite} is null).
     */
    public static Result write(Path runsDir, Path outDir, Suite suite) throws ReportException {
        List<RunRecord> records;
        try {
            records = RunRecords.loadAll(runsDir);
        } catch (NoSuchFileException e) {
            throw new ReportException("no runs folder at " + runsDir + ": run `seqbench run <spec>` first, or"
                    + " point --runs at a folder of run records");
        } catch (IOException e) {
            throw new ReportException("cannot read the runs folder " + runsDir + ": " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            throw new ReportException("the runs folder " + runsDir + " holds no runs: run `seqbench run <spec>`"
                    + " first");
        }
        if (suite != null) {
            Set<String> hashes = new HashSet<>();
            suite.runs().forEach(spec -> hashes.add(SpecHash.of(spec)));
            records = records.stream().filter(r -> r.specYaml() != null
                    && hashes.contains(SpecHash.ofText(r.specYaml()))).toList();
            if (records.isEmpty()) {
                throw new ReportException("no run of suite " + suite.name() + " is recorded in " + runsDir
                        + ": run `seqbench suite " + suite.name() + "` first");
            }
        }
        Path parent = outDir.toAbsolutePath().getParent();
        Path staging;
        try {
            Files.createDirectories(parent);
            staging = Files.createTempDirectory(parent, "." + outDir.getFileName() + ".");
            List<ChartRef> charts = learningCurves(records, staging.resolve("charts"));
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("generated", Instant.now().toString());
            model.put("runsDir", runsDir.toString());
            model.put("runs", rows(records));
            model.put("charts", charts);
            render("index.html.ftlh", model, staging.resolve("index.html"));
            render("report.md.ftl", model, staging.resolve("report.md"));
            replace(staging, outDir);
            return new Result(outDir.resolve("index.html"), outDir.resolve("report.md"), records.size(),
                    charts.size());
        } catch (IOException | UncheckedIOException e) {
            throw new ReportException("cannot write the report into " + outDir + ": " + e.getMessage(), e);
        }
    }

    private static List<RunRow> rows(List<RunRecord> records) {
        List<RunRow> rows = new ArrayList<>();
        for (RunRecord r : records) {
            String model = orDash(r.specValue("model.type"));
            String metric = r.summary() == null ? "" : r.summary().metric();
            String value = "";
            if (r.summary() != null) {
                Double v = r.summary().finalEval().get(metric);
                value = v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
            }
            rows.add(new RunRow(r.id(), orDash(r.specValue("name")), model, orDash(r.specValue("task.type")),
                    r.status() == null ? "unreadable" : r.status().name().toLowerCase(Locale.ROOT),
                    r.summary() == null ? orDash(r.specValue("train.steps")) : Long.toString(r.summary().steps()),
                    r.summary() == null ? "" : String.format(Locale.ROOT, "%,d", r.summary().parameters()),
                    metric, value,
                    r.info() == null || r.info().wallSeconds() == null ? ""
                            : String.format(Locale.ROOT, "%.1f s", r.info().wallSeconds()),
                    r.info() == null || r.info().failure() == null ? ""
                            : "step " + r.info().failure().step() + ": " + r.info().failure().reason(),
                    String.join("; ", r.problems()), Palette.hex(model)));
        }
        return rows;
    }

    /** One chart per task: held-out accuracy (or bits per character) against step, one line per run. */
    private static List<ChartRef> learningCurves(List<RunRecord> records, Path chartsDir) throws IOException {
        Map<String, List<RunRecord>> byTask = new TreeMap<>();
        for (RunRecord r : records) {
            if (r.metrics().stream().anyMatch(m -> MetricsLine.EVAL.equals(m.kind()))) {
                byTask.computeIfAbsent(orDash(r.specValue("task.type")), k -> new ArrayList<>()).add(r);
            }
        }
        List<ChartRef> charts = new ArrayList<>();
        for (Map.Entry<String, List<RunRecord>> e : byTask.entrySet()) {
            boolean bpc = e.getValue().stream().flatMap(r -> r.metrics().stream())
                    .anyMatch(m -> m.values().containsKey("bits_per_character"));
            String key = bpc ? "bits_per_character" : "accuracy";
            XYChart chart = Charts.lineChart("Learning curves: " + e.getKey(), "training step",
                    bpc ? "held-out bits per character" : "held-out answer accuracy (fraction)");
            for (RunRecord r : e.getValue().stream().sorted(Comparator.comparing(RunRecord::id)).toList()) {
                List<Long> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (MetricsLine m : r.metrics()) {
                    if (MetricsLine.EVAL.equals(m.kind()) && m.values().get(key) != null) {
                        x.add(m.step());
                        y.add(m.values().get(key));
                    }
                }
                String model = orDash(r.specValue("model.type"));
                String status = r.status() == RunStatus.COMPLETED ? "" : " (" + (r.status() == null ? "unreadable"
                        : r.status().name().toLowerCase(Locale.ROOT)) + ")";
                Charts.addSeries(chart, model + " · " + r.id().substring(Math.max(0, r.id().length() - 8)) + status,
                        x, y, Palette.of(model));
            }
            String file = "learning-" + e.getKey().replaceAll("[^A-Za-z0-9_-]", "_");
            charts.add(new ChartRef(chart.getTitle(), Charts.save(chart, chartsDir, file),
                    "Held-out " + (bpc ? "bits per character (lower is better)" : "answer accuracy (higher is better)")
                            + " during training, one line per run, coloured by architecture."));
        }
        return charts;
    }

    private static void render(String template, Map<String, Object> model, Path target) throws IOException {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_33);
        cfg.setClassForTemplateLoading(ReportBuilder.class, "/io/seqbench/reports/");
        cfg.setDefaultEncoding("UTF-8");
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        Template t = cfg.getTemplate(template);
        StringWriter out = new StringWriter();
        try {
            t.process(model, out);
        } catch (TemplateException e) {
            throw new IOException("template " + template + " failed: " + e.getMessage(), e);
        }
        Files.writeString(target, out.toString(), StandardCharsets.UTF_8);
    }

    /** Moves the finished staging folder to {@code outDir}, replacing an older report. */
    private static void replace(Path staging, Path outDir) throws IOException {
        if (Files.exists(outDir)) {
            Path old = outDir.resolveSibling("." + outDir.getFileName() + ".old-" + System.nanoTime());
            Files.move(outDir, old);
            Files.move(staging, outDir);
            deleteTree(old);
        } else {
            Files.move(staging, outDir);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String orDash(String s) {
        return s == null ? "—" : s;
    }
}
