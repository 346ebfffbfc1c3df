package io.seqbench.reports;

import java.util.List;

/**
 * Everything the templates show, built from run records (and benchmark JSON) before anything is rendered. The
 * templates only lay it out: every number here is already computed and formatted.
 *
 * @param generated    when the report was written (ISO-8601)
 * @param runsDir      where the run records came from
 * @param suite        the suite the report is about, or null
 * @param counts       how many runs, by status
 * @param notes        remarks about the report as a whole (filters, omitted sections and why)
 * @param results      the final results matrix (task × model), or null when no training run completed
 * @param sections     the chart sections, in order
 * @param papers       published tables beside SeqBench's values (suite reports only)
 * @param runs         one row per run
 * @param unmeasured   every point or run that has no value, with the reason
 * @param environments the machines and software the runs ran on, identical environments merged
 */
public record ReportModel(String generated, String runsDir, SuiteView suite, Counts counts, List<String> notes,
                          ResultsTable results, List<Section> sections, List<PaperView> papers, List<RunRow> runs,
                          List<UnmeasuredRow> unmeasured, List<EnvRow> environments) {

    /** The suite's name, what it shows and what its authors expected before running it. */
    public record SuiteView(String name, String description, List<String> expected) {
    }

    /** Run counts by effective status. */
    public record Counts(int total, int completed, int failed, int interrupted, int running, int unreadable) {
    }

    /**
     * A group of charts about one question.
     *
     * @param id     the HTML anchor
     * @param title  the heading
     * @param intro  one or two sentences on what to look for
     * @param charts the charts (possibly none)
     * @param tables tables that belong to the section beside its charts
     * @param notes  why charts are missing, or what was skipped
     */
    public record Section(String id, String title, String intro, List<ChartRef> charts, List<DataTable> tables,
                          List<String> notes) {
    }

    /**
     * One rendered chart.
     *
     * @param title      its title
     * @param file       the base name under {@code charts/} ({@code .png} and {@code .svg} exist)
     * @param caption    what it shows and how it was computed
     * @param unmeasured the points marked as not measured on it
     * @param data       the plotted numbers as a table
     */
    public record ChartRef(String title, String file, String caption, List<UnmeasuredRow> unmeasured,
                           DataTable data) {
    }

    /** A table of formatted values: a caption, a header row and data rows (first column: the series). */
    public record DataTable(String caption, List<String> header, List<List<String>> rows) {
    }

    /**
     * A point or run without a value.
     *
     * @param series the run or series
     * @param what   which measurement (kind, length)
     * @param status oom, timeout, unsupported, error, failed, interrupted
     * @param note   why, in words
     */
    public record UnmeasuredRow(String series, String what, String status, String note) {
    }

    /**
     * The final results matrix: one row per task, one column per model.
     *
     * @param columns the models
     * @param rows    the tasks
     */
    public record ResultsTable(List<Column> columns, List<ResultRow> rows) {
    }

    /** A model column: its label, architecture type and colour. */
    public record Column(String label, String type, String family, String color) {
    }

    /**
     * One task's results.
     *
     * @param task      the task label
     * @param metric    the metric and unit, e.g. "accuracy (%)"
     * @param better    "higher" or "lower"
     * @param reference the task's reference values (chance, optimum), or ""
     * @param cells     one per column
     */
    public record ResultRow(String task, String metric, String better, String reference, List<Cell> cells) {
    }

    /**
     * One result: the mean over seeds of the final held-out metric, with its range.
     *
     * @param text   the value as shown, or "" when the model did not run the task, or the failure
     * @param detail the runs behind it (names, seed count)
     * @param best   whether it is the best value of its task
     * @param failed whether the cell reports a failure instead of a value
     */
    public record Cell(String text, String detail, boolean best, boolean failed) {
    }

    /**
     * A paper's table beside SeqBench's values for the same rows.
     *
     * @param title    the paper table's title
     * @param source   the citation
     * @param metric   the metric and unit of both column groups
     * @param setup    how the paper's setup differs from the suite's
     * @param columns  the value columns (the same in both groups)
     * @param measured how SeqBench's values were obtained (which runs, which metric, unit conversion)
     * @param rows     the rows
     */
    public record PaperView(String title, String source, String metric, String setup, List<String> columns,
                            String measured, List<PaperRow> rows) {
    }

    /**
     * One row: the paper's values and SeqBench's for the same model.
     *
     * @param label  the row as the paper names it
     * @param run    the suite run that corresponds to it, or "—"
     * @param paper  the paper's values, one per column ("" when the paper has none)
     * @param ours   SeqBench's values, one per column, or why there is none
     * @param note   the paper's remark
     */
    public record PaperRow(String label, String run, List<String> paper, List<String> ours, String note) {
    }

    /**
     * One run as the runs table shows it.
     *
     * @param id       the run id
     * @param name     the spec's name
     * @param kind     train, throughput or memory
     * @param model    the model label
     * @param color    its architecture colour
     * @param task     the task label, or "—"
     * @param spec     the settings that matter, in one line
     * @param status   the effective status
     * @param steps    optimizer steps completed (or planned)
     * @param parameters trainable parameters
     * @param result   the final metric, or ""
     * @param wall     wall-clock time
     * @param reason   the failure reason, or why the run is interrupted
     * @param problems damaged files, in words
     */
    public record RunRow(String id, String name, String kind, String model, String color, String task, String spec,
                         String status, String steps, String parameters, String result, String wall, String reason,
                         String problems) {
    }

    /**
     * One environment shared by some runs.
     *
     * @param runs     how many runs, and which
     * @param hardware CPU model, cores, memory
     * @param software OS, Java and VM
     * @param nd4j     ND4J version, backend and op executioner
     * @param threads  the pinned thread count
     * @param heap     the JVM's maximum heap
     * @param commit   git commit, "(dirty)" when tracked files had changes
     * @param host     the machine's name
     */
    public record EnvRow(String runs, String hardware, String software, String nd4j, String threads, String heap,
                         String commit, String host) {
    }
}
