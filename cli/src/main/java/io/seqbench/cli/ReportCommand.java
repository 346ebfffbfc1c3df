package io.seqbench.cli;

import io.seqbench.harness.spec.SpecException;
import io.seqbench.harness.suite.Suite;
import io.seqbench.harness.suite.SuiteReader;
import io.seqbench.reports.ReportBuilder;
import io.seqbench.reports.ReportException;
import io.seqbench.reports.ReportRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code seqbench report}: the comparison report from run records. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the comparison report from run records: index.html and report.md with every chart as"
                + " PNG and SVG, in one self-contained folder that opens offline. With --suite, only the suite's runs"
                + " and the published tables it reproduces. Prints the path of the report it wrote.")
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs/out",
            description = "the folder of run records (default: ${DEFAULT-VALUE})")
    Path runsDir;

    @Option(names = "--suite", paramLabel = "NAME",
            description = "report only the runs of this suite (a name in --suites-dir, or a suite file), with the"
                    + " published tables it reproduces")
    String suite;

    @Option(names = "--suites-dir", paramLabel = "DIR", defaultValue = "runs/suites",
            description = "where suite files are looked up by name (default: ${DEFAULT-VALUE})")
    Path suitesDir;

    @Option(names = "--benchmarks", paramLabel = "DIR", defaultValue = "docs/benchmarks",
            description = "kernel benchmark JSON (JMH, GPU); a missing folder omits those charts with a note"
                    + " (default: ${DEFAULT-VALUE})")
    Path benchmarksDir;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "reports/out",
            description = "where the report folder is written; an earlier report there is replaced"
                    + " (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        Suite s = null;
        if (suite != null) {
            try {
                s = SuiteReader.read(SuiteReader.locate(suite, suitesDir));
            } catch (SpecException e) {
                throw new BadInputException("invalid suite: " + e.getMessage(), e);
            }
        }
        try {
            ReportBuilder.Result result = ReportBuilder.write(new ReportRequest(runsDir, outDir, s, benchmarksDir));
            PrintWriter out = spec.commandLine().getOut();
            out.println("report of " + result.runs() + " runs with " + result.charts() + " charts:");
            out.println(result.index().toAbsolutePath()); // the last line: the path of the report
            out.flush();
            return SeqBench.OK;
        } catch (ReportException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }
}
