package io.seqbench.cli;

import io.seqbench.harness.spec.RunSpec;
import io.seqbench.harness.spec.SpecException;
import io.seqbench.harness.suite.Suite;
import io.seqbench.harness.suite.SuiteReader;
import io.seqbench.harness.suite.SuiteRunner;
import io.seqbench.reports.ReportBuilder;
import io.seqbench.reports.ReportException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code seqbench suite <name>}: run every run of a suite, then write its report. */
@Command(name = "suite", mixinStandardHelpOptions = true,
        description = {"Run a suite (runs/suites/<name>.yaml): every run in a worker process, training runs in",
                "parallel, probes alone; runs already recorded with the same resolved spec are skipped,",
                "interrupted ones resumed. Ends by writing the suite's report and printing its path."})
final class SuiteCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "SUITE",
            description = "a suite name (see --list) or a suite file")
    String suite;

    @Option(names = "--list", description = "list the suites in --suites-dir (name, runs, start of the description) and stop")
    boolean list;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "parallel worker processes (default: the suite's, else cores / threads per run)")
    int workers;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs/out",
            description = "where run records live (default: ${DEFAULT-VALUE})")
    Path runsDir;

    @Option(names = "--suites-dir", paramLabel = "DIR", defaultValue = "runs/suites",
            description = "where suite files are looked up by name (default: ${DEFAULT-VALUE})")
    Path suitesDir;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "reports/out",
            description = "where the suite's report is written (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Option(names = "--dry-run", description = "validate the suite and list its runs without running them")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        if (workers < 0) {
            throw new BadInputException("--workers must be ≥ 0 (0 = automatic), got " + workers);
        }
        if (list) {
            return listSuites();
        }
        if (suite == null) {
            throw new BadInputException("name a suite (one of " + SuiteReader.available(suitesDir) + " in "
                    + suitesDir + ") or a suite file, or pass --list");
        }
        Nd4jSetup.ensure();
        Suite s;
        try {
            s = SuiteReader.read(SuiteReader.locate(suite, suitesDir));
        } catch (SpecException e) {
            throw new BadInputException("invalid suite: " + e.getMessage(), e);
        }
        if (dryRun) {
            System.out.println("suite " + s.name() + ": " + s.runs().size() + " runs, "
                    + (s.workers() > 0 ? s.workers() : SuiteRunner.automaticWorkers(s)) + " workers by default");
            for (RunSpec r : s.runs()) {
                System.out.printf(Locale.ROOT, "  %-40s %-10s %s%n", r.name(), r.kind(), r.model().type());
            }
            return SeqBench.OK;
        }
        SuiteRunner runner = new SuiteRunner(runsDir, System.out, System.console() != null,
                ChildProcesses::command);
        List<SuiteRunner.Outcome> outcomes = runner.run(s, workers);
        long bad = outcomes.stream().filter(o -> o.status().equals("error") || o.status().equals("interrupted")
                || o.status().equals("unreadable")).count();
        try {
            ReportBuilder.Result report = ReportBuilder.write(runsDir, outDir, s);
            System.out.println("report of suite " + s.name() + " (" + report.runs() + " runs, " + report.charts()
                    + " charts): " + report.index().toAbsolutePath());
        } catch (ReportException e) {
            System.out.println("no report: " + e.getMessage());
            return SeqBench.FAILED;
        }
        return bad == 0 ? SeqBench.OK : SeqBench.FAILED;
    }

    private int listSuites() {
        System.out.print(listing(suitesDir));
        return SeqBench.OK;
    }

    /** {@code text} cut at a word boundary to at most {@code max} characters, with "…" where it was cut. */
    static String shorten(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int cut = text.lastIndexOf(' ', max - 1);
        return text.substring(0, cut > 0 ? cut : max - 1) + "…";
    }

    /** Every suite of {@code suitesDir}, one line each: name, run count, the start of its description. */
    static String listing(Path suitesDir) {
        List<String> names = SuiteReader.available(suitesDir);
        if (names.isEmpty()) {
            throw new BadInputException("no suites (*.yaml) in " + suitesDir);
        }
        StringBuilder out = new StringBuilder("suites in " + suitesDir + ":\n");
        for (String name : names) {
            try {
                Suite s = SuiteReader.read(SuiteReader.locate(name, suitesDir));
                String d = s.description().strip().replaceAll("\\s+", " ");
                int end = d.indexOf(". ");
                out.append(String.format(Locale.ROOT, "  %-24s %3d runs  %s%n", name, s.runs().size(),
                        shorten(end < 0 ? d : d.substring(0, end + 1), 90)));
            } catch (SpecException e) {
                out.append(String.format(Locale.ROOT, "  %-24s invalid: %s%n", name, e.getMessage()));
            }
        }
        return out.toString();
    }
}
