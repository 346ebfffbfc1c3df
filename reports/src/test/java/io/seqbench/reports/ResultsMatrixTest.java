package io.seqbench.reports;

import io.seqbench.harness.store.RunRecords;
import io.seqbench.reports.ReportModel.Cell;
import io.seqbench.reports.ReportModel.ResultRow;
import io.seqbench.reports.ReportModel.ResultsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsMatrixTest {
    @TempDir
    Path tmp;

    private static Cell cell(ResultsTable t, String task, String model) {
        ResultRow row = t.rows().stream().filter(r -> r.task().equals(task)).findFirst().orElseThrow();
        for (int i = 0; i < t.columns().size(); i++) {
            if (t.columns().get(i).label().equals(model)) {
                return row.cells().get(i);
            }
        }
        throw new AssertionError("no column " + model + " in " + t.columns());
    }

    @Test
    void table_accuracyAndBitsPerCharacter_bestIsHighestAccuracyAndLowestBpc() throws Exception {
        Fixtures.training(tmp, "lstm-copying", "lstm", "", "copying", 1, Fixtures.End.COMPLETED,
                new double[]{0.5, 0.8}, Map.of());
        Fixtures.training(tmp, "mamba-copying", "mamba", "", "copying", 1, Fixtures.End.COMPLETED,
                new double[]{0.5, 0.95}, Map.of());
        Fixtures.languageModel(tmp, "lstm-lm", "lstm", new double[]{3.0, 2.4});
        Fixtures.languageModel(tmp, "mamba-lm", "mamba", new double[]{3.0, 2.6});
        ResultsTable t = ResultsMatrix.table(Catalog.of(RunRecords.loadAll(tmp)));

        assertEquals(List.of("lstm", "mamba"), t.columns().stream().map(ReportModel.Column::label).toList());
        assertEquals("95.0", cell(t, "copying", "mamba").text());
        assertTrue(cell(t, "copying", "mamba").best(), "higher accuracy is better");
        assertFalse(cell(t, "copying", "lstm").best());
        assertEquals("2.40", cell(t, "char_lm", "lstm").text());
        assertTrue(cell(t, "char_lm", "lstm").best(), "lower bits per character is better");
        assertFalse(cell(t, "char_lm", "mamba").best());
        ResultRow copying = t.rows().stream().filter(r -> r.task().equals("copying")).findFirst().orElseThrow();
        assertEquals("chance: 12.5", copying.reference());
        assertEquals("higher", copying.better());
    }

    @Test
    void table_seedsAndFailures_meanWithRangeAndTheFailureReason() throws Exception {
        for (long seed = 1; seed <= 2; seed++) {
            Fixtures.training(tmp, "lstm-copying-seed" + seed, "lstm", "", "copying", seed,
                    Fixtures.End.COMPLETED, new double[]{0.5, 0.7 + 0.1 * seed}, Map.of());
        }
        Fixtures.training(tmp, "mamba-copying", "mamba", "", "copying", 1, Fixtures.End.FAILED,
                new double[]{0.5, 0.6, 0.7, 0.8}, Map.of());
        ResultsTable t = ResultsMatrix.table(Catalog.of(RunRecords.loadAll(tmp)));

        Cell lstm = cell(t, "copying", "lstm");
        assertEquals("85.0 (80.0–90.0)", lstm.text(), "mean of 80 % and 90 % with the seed range");
        assertTrue(lstm.best());
        Cell mamba = cell(t, "copying", "mamba");
        assertTrue(mamba.failed());
        assertEquals("failed: the training loss became NaN at step 20", mamba.text());
        assertFalse(mamba.best());
    }

    @Test
    void table_unreadableRunAmongGoodOnes_isNeitherATaskNorAModel() throws Exception {
        Fixtures.training(tmp, "lstm-copying", "lstm", "", "copying", 1, Fixtures.End.COMPLETED,
                new double[]{0.5, 0.8}, Map.of());
        Path broken = Fixtures.training(tmp, "gru-copying", "gru", "", "copying", 1, Fixtures.End.COMPLETED,
                new double[]{0.5, 0.8}, Map.of());
        java.nio.file.Files.delete(broken.resolve("spec.yaml"));
        ResultsTable t = ResultsMatrix.table(Catalog.of(RunRecords.loadAll(tmp)));
        assertEquals(List.of("copying"), t.rows().stream().map(ResultRow::task).toList());
        assertEquals(List.of("lstm"), t.columns().stream().map(ReportModel.Column::label).toList());
    }

    @Test
    void table_onlyProbes_isNull() throws Exception {
        Fixtures.throughput(tmp, "lstm-tp", "lstm", new int[]{64, 128}, Integer.MAX_VALUE, 1);
        assertEquals(null, ResultsMatrix.table(Catalog.of(RunRecords.loadAll(tmp))));
    }
}
