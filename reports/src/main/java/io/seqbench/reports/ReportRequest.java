package io.seqbench.reports;

import io.seqbench.harness.suite.Suite;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What to report on and where to write it.
 *
 * @param runsDir       the folder of run records
 * @param outDir        the report folder to write (replaced as a whole when it exists)
 * @param suite         only the runs of this suite, and its paper tables; null for every run
 * @param benchmarksDir the folder of kernel benchmark JSON (JMH, GPU), or null for none
 */
public record ReportRequest(Path runsDir, Path outDir, Suite suite, Path benchmarksDir) {
    /** Where the kernel benchmark results are committed, relative to the repository root. */
    public static final Path DEFAULT_BENCHMARKS = Path.of("docs", "benchmarks");

    public ReportRequest {
        Objects.requireNonNull(runsDir, "runsDir");
        Objects.requireNonNull(outDir, "outDir");
    }
}
