package io.seqbench.reports;

import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import io.seqbench.harness.suite.PaperTable;
import io.seqbench.reports.ReportModel.PaperRow;
import io.seqbench.reports.ReportModel.PaperView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaperComparisonTest {
    @TempDir
    Path tmp;

    @Test
    void length_columnNames_mapToEvaluationLengths() {
        assertEquals(64, PaperComparison.length("64"));
        assertEquals(16384, PaperComparison.length("2^14"));
        assertEquals(16384, PaperComparison.length("16K"));
        assertEquals(1024, PaperComparison.length("1,024"));
        assertNull(PaperComparison.length("accuracy"));
        assertNull(PaperComparison.length("Mamba"));
    }

    @Test
    void view_lengthColumns_paperValuesUntouchedAndSeqBenchFromSummaryLengths() throws Exception {
        Map<Integer, Double> lengths = new LinkedHashMap<>();
        lengths.put(64, 0.75);
        lengths.put(128, Double.NaN); // unsupported
        Fixtures.training(tmp, "mamba-induction", "mamba", "", "induction_heads", 1, Fixtures.End.COMPLETED,
                new double[]{0.5, 0.99}, lengths);
        Fixtures.training(tmp, "s4-induction", "s4", "", "induction_heads", 1, Fixtures.End.FAILED,
                new double[]{0.5, 0.6, 0.7, 0.8}, Map.of());
        List<RunRecord> records = RunRecords.loadAll(tmp);
        PaperTable table = new PaperTable("Mamba paper, Table 11: induction heads", "Gu & Dao 2023, Table 11",
                "accuracy (%)", "paper: 2 layers, trained at 256; here: tiny models trained at 32",
                List.of("32", "64", "128"), List.of(
                new PaperTable.Row("Mamba", "mamba-induction", Map.of("32", 100.0, "64", 100.0, "128", 100.0), null),
                new PaperTable.Row("S4", "s4-induction", Map.of("32", 100.0, "64", 35.6), "✗ beyond"),
                new PaperTable.Row("Hyena", null, Map.of("32", 100.0), null),
                new PaperTable.Row("H3", "h3-induction", Map.of(), null)));
        PaperView v = PaperComparison.view(table, records);

        PaperRow mamba = v.rows().get(0);
        assertEquals(List.of("100", "100", "100"), mamba.paper(), "the paper's numbers exactly as typed in");
        assertEquals(List.of("99.0", "75.0", "unsupported at this length"), mamba.ours(),
                "training length → final eval; 64 → the summary's length result in %; 128 unsupported");
        PaperRow s4 = v.rows().get(1);
        assertEquals(List.of("100", "35.6", "—"), s4.paper());
        assertTrue(s4.ours().get(0).startsWith("failed: the training loss became NaN"), s4.ours().get(0));
        assertEquals("✗ beyond", s4.note());
        assertEquals(List.of("no SeqBench run", "no SeqBench run", "no SeqBench run"), v.rows().get(2).ours());
        assertEquals("—", v.rows().get(2).run());
        assertEquals("not run", v.rows().get(3).ours().get(0));
        assertTrue(v.measured().contains("shown in %"), v.measured());
    }

    @Test
    void view_singleMetricColumn_isTheFinalEvaluation() throws Exception {
        Fixtures.languageModel(tmp, "mamba-lm", "mamba", new double[]{3.0, 2.25});
        PaperTable table = new PaperTable("LM", "somebody 2024", "bits per character", "", List.of("bpc"),
                List.of(new PaperTable.Row("Mamba", "mamba-lm", Map.of("bpc", 1.1), null)));
        PaperView v = PaperComparison.view(table, RunRecords.loadAll(tmp));
        assertEquals(List.of("1.10"), v.rows().get(0).paper());
        assertEquals(List.of("2.25"), v.rows().get(0).ours());
    }
}
