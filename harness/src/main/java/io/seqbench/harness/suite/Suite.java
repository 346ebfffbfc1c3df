package io.seqbench.harness.suite;

import io.seqbench.harness.spec.RunSpec;

import java.util.List;

/**
 * A named list of runs, read from {@code runs/suites/<name>.yaml} and expanded (grids multiplied out), every
 * run validated.
 *
 * @param name        the suite's name
 * @param description what the suite shows, in words
 * @param expected    the expected outcome, written down before running (the report shows it beside the results)
 * @param workers     parallel worker processes; 0 chooses from the cores and the runs' thread counts
 * @param runs        the runs, in order (training runs first is not required; probes always run alone)
 * @param papers      published figures this suite reproduces at small scale (possibly none)
 */
public record Suite(String name, String description, List<String> expected, int workers, List<RunSpec> runs,
                    List<PaperTable> papers) {
    public Suite {
        expected = List.copyOf(expected);
        runs = List.copyOf(runs);
        papers = List.copyOf(papers);
    }

    /** A suite without paper tables. */
    public Suite(String name, String description, List<String> expected, int workers, List<RunSpec> runs) {
        this(name, description, expected, workers, runs, List.of());
    }
}
