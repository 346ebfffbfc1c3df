package io.seqbench.tasks.synthetic;

import io.seqbench.tasks.Batch;
import io.seqbench.tasks.Split;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static io.seqbench.tasks.synthetic.SelectiveCopyingTaskTest.assertMessageStarts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AssociativeRecallTaskTest {

    @Test
    void batch_layout_keysValuesAndQueriesAsInZoology() {
        AssociativeRecallTask task = new AssociativeRecallTask(new AssociativeRecallTask.Config(12, 2, 16, 0.01, false), 7L);
        Batch batch = task.batch(Split.TRAIN, 0, 200);
        for (int b = 0; b < 200; b++) {
            int k1 = at(batch, b, 0);
            int v1 = at(batch, b, 1);
            int k2 = at(batch, b, 2);
            int v2 = at(batch, b, 3);
            assertTrue(k1 >= 1 && k1 < 6 && k2 >= 1 && k2 < 6 && k1 != k2, "distinct keys in [1, V/2)");
            assertTrue(v1 >= 6 && v1 < 12 && v2 >= 6 && v2 < 12 && v1 != v2, "distinct values in [V/2, V)");
            int queries = 0;
            for (int t = 4; t < 16; t++) {
                int token = at(batch, b, t);
                float mask = batch.mask()[batch.index(b, t)];
                if (token == AssociativeRecallTask.FILLER) {
                    assertEquals(0f, mask);
                    continue;
                }
                queries++;
                assertEquals(0, (t - 4) % 2, "queries sit at even offsets of the query region");
                assertEquals(1f, mask);
                assertEquals(token == k1 ? v1 : v2, batch.targets()[batch.index(b, t)]);
                assertTrue(token == k1 || token == k2);
            }
            assertEquals(2, queries, "each key is queried once");
        }
    }

    @Test
    void batch_randomFillers_stillQueryEachKeyExactlyOnceAtMaskedPositions() {
        AssociativeRecallTask task = new AssociativeRecallTask(AssociativeRecallTask.Config.DEFAULTS, 7L);
        int p = task.config().pairs();
        Batch batch = task.batch(Split.TRAIN, 0, 100);
        boolean sawRandomKeyFiller = false;
        for (int b = 0; b < 100; b++) {
            Set<Integer> keys = new HashSet<>();
            for (int i = 0; i < p; i++) {
                keys.add(at(batch, b, 2 * i));
            }
            Set<Integer> queried = new HashSet<>();
            for (int t = 2 * p; t < task.length(); t++) {
                if (batch.mask()[batch.index(b, t)] != 0f) {
                    assertTrue(keys.contains(at(batch, b, t)), "a masked position holds a key of the context");
                    assertTrue(queried.add(at(batch, b, t)), "no key is queried twice");
                } else if (keys.contains(at(batch, b, t))) {
                    sawRandomKeyFiller = true;
                }
            }
            assertEquals(keys, queried);
        }
        assertTrue(sawRandomKeyFiller, "with random fillers, some filler equals a key (unscored), as in Zoology");
    }

    /**
     * The first drawn gap (which hosts the first key's query) has probability w(g)/Σw, w(g) = (g+1)^(alpha−1).
     * Checked for every gap at alpha 0.01 (power law) and alpha 1 (uniform), 5 binomial standard deviations each.
     */
    @Test
    void batch_firstQueryGap_followsThePowerLaw() {
        for (double alpha : new double[]{0.01, 1.0}) {
            AssociativeRecallTask task = new AssociativeRecallTask(new AssociativeRecallTask.Config(64, 4, 28, alpha, false), 9L);
            int slots = (28 - 8) / 2;
            double[] weights = new double[slots];
            double total = 0;
            for (int g = 0; g < slots; g++) {
                weights[g] = Math.pow(g + 1, alpha - 1);
                total += weights[g];
            }
            int n = 40_000;
            int[] counts = new int[slots];
            for (int step = 0; step < n / 200; step++) {
                Batch batch = task.batch(Split.TRAIN, step, 200);
                for (int b = 0; b < 200; b++) {
                    int firstKey = at(batch, b, 0);
                    for (int t = 8; t < 28; t++) {
                        if (batch.mask()[batch.index(b, t)] != 0f && at(batch, b, t) == firstKey) {
                            counts[(t - 8) / 2]++;
                        }
                    }
                }
            }
            for (int g = 0; g < slots; g++) {
                double p = weights[g] / total;
                assertEquals(n * p, counts[g], 5 * Math.sqrt(n * p * (1 - p)), "alpha " + alpha + ", gap " + g);
            }
        }
    }

    @Test
    void drawGaps_allSlots_returnsAPermutation() {
        var random = new java.util.SplittableRandom(1);
        int[] gaps = new int[6];
        AssociativeRecallTask.drawGaps(AssociativeRecallTask.inverseWeights(6, 0.5), random, gaps, new double[6]);
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), Set.of(gaps[0], gaps[1], gaps[2], gaps[3], gaps[4], gaps[5]));
    }

    @Test
    void referenceValues_chanceIsOneOverTheValues() {
        AssociativeRecallTask task = new AssociativeRecallTask(AssociativeRecallTask.Config.DEFAULTS, 1L);
        assertEquals(1.0 / 64, task.referenceValues().get("chance_accuracy"));
        assertEquals(1.0 / 8, task.referenceValues().get("context_chance_accuracy"));
    }

    @Test
    void batch_tooShort_namesTheMinimum() {
        AssociativeRecallTask task = new AssociativeRecallTask(AssociativeRecallTask.Config.DEFAULTS, 1L);
        var e = assertThrows(IllegalArgumentException.class, () -> task.batch(Split.TRAIN, 0, 1, 31));
        assertTrue(e.getMessage().contains("length ≥ 32"), e.getMessage());
    }

    @Test
    void config_invalidField_namesIt() {
        assertMessageStarts("vocab:", () -> new AssociativeRecallTask.Config(3, 1, 8, 0.01, true));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new AssociativeRecallTask.Config(16, 8, 64, 0.01, true));
        assertEquals("pairs: must be ≤ vocab/2 − 1 = 7 (the number of distinct keys), got 8", e.getMessage());
        assertMessageStarts("length:", () -> new AssociativeRecallTask.Config(64, 8, 31, 0.01, true));
        assertMessageStarts("alpha:", () -> new AssociativeRecallTask.Config(64, 8, 64, 0, true));
        assertMessageStarts("alpha:", () -> new AssociativeRecallTask.Config(64, 8, 64, Double.NaN, true));
    }

    private static int at(Batch batch, int b, int t) {
        return batch.inputs()[batch.index(b, t)];
    }
}
