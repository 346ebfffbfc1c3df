package io.seqbench.cli;

import io.seqbench.reports.ReportBuilder;
import io.seqbench.reports.ReportException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code seqbench report}: the comparison report from run records. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the comparison report (index.html, report.md, charts as PNG and SVG) from run records.")
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs/out",
            description = "the folder of run records (default: ${DEFAULT-VALUE})")
    Path runsDir;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "reports/out",
            description = "where the report folder is written (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        try {
            ReportBuilder.Result result = ReportBuilder.write(runsDir, outDir);
            System.out.println("report of " + result.runs() + " runs with " + result.charts() + " charts: "
                    + result.index().toAbsolutePath());
            return SeqBench.OK;
        } catch (ReportException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }
}
