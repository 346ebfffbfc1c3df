package io.seqbench.reports;

import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogTest {
    @TempDir
    Path tmp;

    private static RunGroup group(Catalog c, String label) {
        return c.groups().stream().filter(g -> g.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no group " + label + " in " + c.groups().stream()
                        .map(RunGroup::label).toList()));
    }

    @Test
    void of_runsDifferingOnlyBySeed_formOneGroupWithMeanAndMinMaxPerStep() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            Fixtures.training(tmp, "lstm-copying-seed" + seed, "lstm", "d_model: 16", "copying", seed,
                    Fixtures.End.COMPLETED, new double[]{0.1 * seed, 0.2 * seed}, Map.of());
        }
        Fixtures.training(tmp, "lstm-copying-wide", "lstm", "d_model: 32", "copying", 1, Fixtures.End.COMPLETED,
                new double[]{0.5, 0.9}, Map.of());
        Catalog c = Catalog.of(RunRecords.loadAll(tmp));

        assertEquals(2, c.groups().size());
        RunGroup seeds = group(c, "lstm-copying");
        assertEquals(3, seeds.runs().size());
        assertEquals("lstm-copying (3 seeds)", seeds.legend());
        List<ChartSpec.Point> curve = LearningCurves.curve(seeds, TaskMetric.ACCURACY);
        assertEquals(2, curve.size());
        ChartSpec.Point at20 = curve.get(1);
        assertEquals(20, at20.x());
        assertEquals(40.0, at20.y(), 1e-9, "mean of 20 %, 40 %, 60 %");
        assertEquals(20.0, at20.lo(), 1e-9);
        assertEquals(60.0, at20.hi(), 1e-9);
        assertEquals(3, at20.n());

        RunGroup wide = group(c, "lstm-copying-wide");
        assertNotEquals(seeds.variant(), wide.variant(), "another model config is another variant");
        assertEquals("lstm (d_model=16)", seeds.modelLabel());
        assertEquals("lstm (d_model=32)", wide.modelLabel());
    }

    @Test
    void of_sameNameDifferentSettings_labelsNameTheDifference() throws Exception {
        Fixtures.training(tmp, "lstm-copying", "lstm", "d_model: 16", "copying", 1, Fixtures.End.COMPLETED,
                new double[]{0.5}, Map.of());
        Fixtures.training(tmp, "lstm-copying", "lstm", "d_model: 16", "selective_copying", 1,
                Fixtures.End.COMPLETED, new double[]{0.5}, Map.of());
        Catalog c = Catalog.of(RunRecords.loadAll(tmp));
        List<String> labels = c.groups().stream().map(RunGroup::label).sorted().toList();
        assertEquals(List.of("lstm-copying (task.type=copying)", "lstm-copying (task.type=selective_copying)"), labels);
    }

    @Test
    void stripSeed_variousSpellings_removesTheSeedPart() {
        assertEquals("lstm-copying", Catalog.stripSeed("lstm-copying-seed2"));
        assertEquals("mamba-mqar", Catalog.stripSeed("mamba-seed_13-mqar"));
        assertEquals("seed", Catalog.stripSeed("seed"), "a name that is only a seed word stays");
    }

    @Test
    void of_unreadableSpec_isAGroupOfItsOwn() throws Exception {
        Path a = Fixtures.training(tmp, "lstm-a", "lstm", "", "copying", 1, Fixtures.End.COMPLETED,
                new double[]{0.5}, Map.of());
        Path b = Fixtures.training(tmp, "lstm-b", "lstm", "", "copying", 2, Fixtures.End.COMPLETED,
                new double[]{0.5}, Map.of());
        Files.writeString(a.resolve("spec.yaml"), "model: [unclosed");
        Files.writeString(b.resolve("spec.yaml"), "model: [unclosed");
        List<RunRecord> records = RunRecords.loadAll(tmp);
        records.forEach(r -> assertNull(r.spec()));
        Catalog c = Catalog.of(records);
        assertEquals(2, c.groups().size(), "two unreadable runs are never merged");
        assertTrue(c.groups().stream().allMatch(g -> g.type().equals("unknown")));
    }
}
