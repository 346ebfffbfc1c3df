package io.seqbench.reports;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import io.seqbench.harness.suite.SpecHash;
import io.seqbench.harness.suite.Suite;
import io.seqbench.reports.ReportModel.ChartRef;
import io.seqbench.reports.ReportModel.Section;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds the comparison report from run records only (it never trains): a model of the report
 * ({@link ReportModel}) from the records, then every chart as PNG and SVG in {@code charts/}, then
 * {@code index.html} and {@code report.md} from templates. The folder is self-contained and opens from
 * {@code file://}. It is written beside the target and moved into place at the end, so a failed report never
 * leaves a half-written folder.
 */
public final class ReportBuilder {

    /** Where the report went and what it holds. */
    public record Result(Path index, Path markdown, int runs, int charts) {
    }

    private ReportBuilder() {
    }

    /** The report of every run in {@code runsDir}, with the kernel benchmarks of {@code docs/benchmarks}. */
    public static Result write(Path runsDir, Path outDir) throws ReportException {
        return write(new ReportRequest(runsDir, outDir, null, ReportRequest.DEFAULT_BENCHMARKS));
    }

    /**
     * The report of the runs of one suite: the records in {@code runsDir} whose resolved spec is one of the
     * suite's runs (all records when {@code suite} is null), with the kernel benchmarks of {@code docs/benchmarks}.
     */
    public static Result write(Path runsDir, Path outDir, Suite suite) throws ReportException {
        return write(new ReportRequest(runsDir, outDir, suite, ReportRequest.DEFAULT_BENCHMARKS));
    }

    public static Result write(ReportRequest request) throws ReportException {
        List<String> notes = new ArrayList<>();
        Path outDir = request.outDir();
        checkTarget(request.runsDir(), outDir);
        List<RunRecord> records = load(request, notes);
        Path parent = outDir.toAbsolutePath().getParent();
        Path staging = null;
        try {
            Files.createDirectories(parent);
            staging = Files.createTempDirectory(parent, "." + outDir.getFileName() + ".");
            ReportModel model = build(records, request, notes, staging.resolve("charts"));
            int charts = model.sections().stream().mapToInt(s -> s.charts().size()).sum();
            Map<String, Object> root = Map.of("r", model);
            render("index.html.ftlh", root, staging.resolve("index.html"));
            render("report.md.ftl", root, staging.resolve("report.md"));
            replace(staging, outDir);
            staging = null;
            return new Result(outDir.resolve("index.html"), outDir.resolve("report.md"), records.size(), charts);
        } catch (IOException | UncheckedIOException e) {
            throw new ReportException("cannot write the report into " + outDir + ": " + e.getMessage(), e);
        } finally {
            if (staging != null) {
                try {
                    deleteTree(staging);
                } catch (IOException e) {
                    // best effort: a hidden staging folder left behind is harmless
                }
            }
        }
    }

    /**
     * Refuses a target that would destroy something: the report replaces {@code outDir} as a whole, so it must be
     * absent, empty, or an earlier report, and must not hold the runs.
     */
    private static void checkTarget(Path runsDir, Path outDir) throws ReportException {
        Path out = outDir.toAbsolutePath().normalize();
        Path runs = runsDir.toAbsolutePath().normalize();
        if (runs.startsWith(out)) {
            throw new ReportException("--out " + outDir + " holds the runs folder " + runsDir
                    + "; the report replaces its folder as a whole, so choose another --out (e.g. reports/out)");
        }
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new ReportException("--out " + outDir + " is a file, not a folder");
        }
        try (Stream<Path> entries = Files.list(out)) {
            boolean empty = entries.findAny().isEmpty();
            if (!empty && !Files.exists(out.resolve("index.html")) && !Files.exists(out.resolve("report.md"))) {
                throw new ReportException("--out " + outDir + " is a folder that is not an earlier report (it has"
                        + " no index.html); the report replaces its folder as a whole, so give an empty or new one");
            }
        } catch (IOException e) {
            throw new ReportException("cannot read --out " + outDir + ": " + e.getMessage(), e);
        }
    }

    /** The records to report on, with a clear error for a missing, unreadable or empty folder. */
    private static List<RunRecord> load(ReportRequest request, List<String> notes) throws ReportException {
        Path runsDir = request.runsDir();
        List<RunRecord> records;
        try {
            records = RunRecords.loadAll(runsDir);
        } catch (NoSuchFileException e) {
            throw new ReportException("no runs folder at " + runsDir + ": run `seqbench run <spec>` first, or"
                    + " point --runs at a folder of run records");
        } catch (IOException | UncheckedIOException e) {
            throw new ReportException("cannot read the runs folder " + runsDir + ": " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            throw new ReportException("the runs folder " + runsDir + " holds no runs: run `seqbench run <spec>`"
                    + " first");
        }
        Suite suite = request.suite();
        if (suite != null) {
            Set<String> hashes = new HashSet<>();
            suite.runs().forEach(spec -> hashes.add(SpecHash.of(spec)));
            List<RunRecord> mine = records.stream().filter(r -> r.specYaml() != null
                    && hashes.contains(SpecHash.ofText(r.specYaml()))).toList();
            if (mine.isEmpty()) {
                throw new ReportException("no run of suite " + suite.name() + " is recorded in " + runsDir
                        + ": run `seqbench suite " + suite.name() + "` first");
            }
            if (mine.size() < records.size()) {
                notes.add("Only the " + mine.size() + " of " + records.size() + " records in " + runsDir
                        + " whose resolved spec is a run of suite " + suite.name() + " are shown.");
            }
            long missing = suite.runs().stream().filter(s -> mine.stream().noneMatch(
                    r -> SpecHash.ofText(r.specYaml()).equals(SpecHash.of(s)))).count();
            if (missing > 0) {
                notes.add(missing + " of the suite's " + suite.runs().size() + " runs have no record yet: run `seqbench"
                        + " suite " + suite.name() + "` to complete it.");
            }
            records = mine;
        }
        if (records.stream().allMatch(r -> r.info() == null && r.spec() == null)) {
            throw new ReportException("none of the " + records.size() + " run folders in " + runsDir + " is readable"
                    + " (run.json and spec.yaml missing or corrupt in each); is --runs a folder of SeqBench runs?");
        }
        return records;
    }

    /** The report's model, rendering each chart into {@code chartsDir} on the way. */
    static ReportModel build(List<RunRecord> records, ReportRequest request, List<String> notes, Path chartsDir)
            throws IOException {
        Catalog catalog = Catalog.of(records);
        List<Section> sections = new ArrayList<>();
        sections.add(section("final", "Final results", "The final held-out metric of every model on every task, as"
                        + " bars (the matrix above gives the numbers, seed ranges and failures).",
                render(List.of(), ResultsMatrix.charts(catalog), chartsDir),
                "No training run completed, so there are no final results to chart."));
        sections.add(section("learning", "Learning curves", "How fast each model learns each task.",
                render(LearningCurves.charts(catalog), List.of(), chartsDir),
                "No training run has readable held-out evaluations (metrics.jsonl eval lines); damaged files are listed under Runs."));
        sections.add(section("length", "Length generalization", "Does a model trained at one length still work at"
                        + " longer (or shorter) lengths?",
                render(LengthGeneralization.charts(catalog), List.of(), chartsDir),
                "No completed training run was evaluated at other lengths (give eval.lengths in the spec)."));
        sections.add(section("throughput", "Speed: training, prefill and decoding", "How the cost of training and"
                        + " inference grows with the sequence length (throughput probes).",
                render(ProbeCharts.throughput(catalog), List.of(), chartsDir),
                "No throughput probe among these runs (run a spec with kind: throughput)."));
        List<ChartSpec> memory = new ArrayList<>(ProbeCharts.memory(catalog));
        ChartSpec state = ProbeCharts.stateSize(catalog);
        if (state.hasData()) {
            memory.add(state);
        }
        sections.add(section("memory", "Memory: training and inference state", "How much memory training needs as"
                        + " the length grows (memory probes), and how large the state a model carries while"
                        + " generating is.", render(memory, List.of(), chartsDir),
                "No memory probe and no state size among these runs (run a spec with kind: memory)."));
        List<ChartRef> sizeCharts = render(List.of(), ModelSizes.charts(catalog), chartsDir);
        ReportModel.DataTable sizes = ModelSizes.table(catalog);
        sections.add(new Section("sizes", "Model sizes", "Parameters and inference state per model.", sizeCharts,
                sizes.rows().isEmpty() ? List.of() : List.of(sizes), sizeCharts.isEmpty() && sizes.rows().isEmpty()
                ? List.of("No run recorded its parameter count or state size.") : List.of()));
        KernelBenchmarks.Result kernels = KernelBenchmarks.read(request.benchmarksDir());
        List<String> kernelNotes = new ArrayList<>(kernels.notes());
        List<ChartSpec> kernelCharts = KernelBenchmarks.charts(kernels, kernelNotes);
        sections.add(new Section("kernels", "Kernel microbenchmarks: the selective scan",
                "The scan kernels on their own (JMH on the CPU, CUDA events on the GPU), from the benchmark JSON in "
                        + (request.benchmarksDir() == null ? "no folder" : request.benchmarksDir()) + ".",
                render(kernelCharts, List.of(), chartsDir), List.of(), kernelNotes));

        Suite suite = request.suite();
        return new ReportModel(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                request.runsDir().toString(),
                suite == null ? null : new ReportModel.SuiteView(suite.name(), suite.description(), suite.expected()),
                RunTable.counts(records), notes, ResultsMatrix.table(catalog), sections,
                PaperComparison.tables(suite, records), RunTable.rows(catalog), RunTable.unmeasured(catalog),
                Environments.rows(records));
    }

    private static Section section(String id, String title, String intro, List<ChartRef> charts, String empty) {
        return new Section(id, title, intro, charts, List.of(), charts.isEmpty() ? List.of(empty) : List.of());
    }

    private static List<ChartRef> render(List<ChartSpec> lines, List<BarChartSpec> bars, Path dir) throws IOException {
        List<ChartRef> refs = new ArrayList<>();
        for (BarChartSpec b : bars) {
            refs.add(Charts.render(b, dir));
        }
        for (ChartSpec c : lines) {
            refs.add(Charts.render(c, dir));
        }
        return refs;
    }

    private static void render(String template, Map<String, Object> model, Path target) throws IOException {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_33);
        cfg.setClassForTemplateLoading(ReportBuilder.class, "/io/seqbench/reports/");
        cfg.setDefaultEncoding("UTF-8");
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
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
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
