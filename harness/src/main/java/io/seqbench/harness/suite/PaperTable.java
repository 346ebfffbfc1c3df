package io.seqbench.harness.suite;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Figures published in a paper, stored beside the suite that reproduces them at small scale, so the report can
 * show them next to SeqBench's own results. They are the paper's numbers, typed in from the paper and labelled
 * as such; nothing here is measured.
 *
 * @param title   what the table is, e.g. "Mamba paper, Table 1: selective copying"
 * @param source  the citation (authors, year, title, table number)
 * @param metric  the metric of the values and its unit, e.g. "accuracy (%)"
 * @param setup   how the paper's setup differs from the suite's (lengths, model sizes, training budget)
 * @param columns the value columns, e.g. evaluation lengths; a single column for one number per row
 * @param rows    the table's rows
 */
public record PaperTable(String title, String source, String metric, String setup, List<String> columns,
                         List<Row> rows) {

    /**
     * One row of the paper's table.
     *
     * @param label  the row as the paper names it, e.g. "Mamba (Mamba block, S6 layer)"
     * @param run    the name of the suite run that corresponds to it, or null when the suite has none
     * @param values the paper's value per column; a missing column is a cell the paper leaves empty or marks as
     *               failed (the note says which)
     * @param note   remarks, e.g. "✗ beyond 2^14: out of memory in the paper"
     */
    public record Row(String label, String run, Map<String, Double> values, String note) {
        public Row {
            Objects.requireNonNull(label, "label");
            values = values == null ? Map.of() : Map.copyOf(values);
        }
    }

    public PaperTable {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(metric, "metric");
        setup = setup == null ? "" : setup;
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
