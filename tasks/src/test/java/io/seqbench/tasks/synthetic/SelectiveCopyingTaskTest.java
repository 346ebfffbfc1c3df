package io.seqbench.tasks.synthetic;

import io.seqbench.tasks.Batch;
import io.seqbench.tasks.Split;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectiveCopyingTaskTest {
    private final SelectiveCopyingTask task = new SelectiveCopyingTask(new SelectiveCopyingTask.Config(3, 4, 10), 7L);

    @Test
    void batch_layout_matchesTheWorkedExample() {
        Batch batch = task.batch(Split.TRAIN, 0, 32);
        for (int b = 0; b < 32; b++) {
            List<Integer> data = new ArrayList<>();
            for (int t = 0; t < 7; t++) {
                int token = batch.inputs()[batch.index(b, t)];
                assertTrue(token == SelectiveCopyingTask.NOISE || token >= SelectiveCopyingTask.FIRST_DATA);
                if (token != SelectiveCopyingTask.NOISE) {
                    data.add(token);
                }
                assertEquals(0f, batch.mask()[batch.index(b, t)]);
            }
            assertEquals(3, data.size(), "three data tokens in the context");
            for (int i = 0; i < 3; i++) {
                int t = 7 + i;
                assertEquals(SelectiveCopyingTask.MARKER, batch.inputs()[batch.index(b, t)]);
                assertEquals(data.get(i), batch.targets()[batch.index(b, t)], "the i-th marker answers the i-th datum");
                assertEquals(1f, batch.mask()[batch.index(b, t)]);
            }
        }
        assertEquals(6, task.vocabSize());
    }

    /**
     * Every context position holds a datum with probability M / (L − M). Over n sequences each position's count is
     * binomial; 5 standard deviations bound all 60 of them with a false-alarm rate below 1e-4, and a biased
     * placement (say, never the last position, or clustering at the start) exceeds that many times over.
     */
    @Test
    void batch_dataPositions_areUniformOverTheContext() {
        SelectiveCopyingTask defaults = new SelectiveCopyingTask(SelectiveCopyingTask.Config.DEFAULTS, 3L);
        int length = defaults.length();
        int m = defaults.config().tokens();
        int context = length - m;
        int n = 20_000;
        int[] counts = new int[context];
        for (int step = 0; step < n / 100; step++) {
            Batch batch = defaults.batch(Split.TRAIN, step, 100);
            for (int b = 0; b < 100; b++) {
                for (int t = 0; t < context; t++) {
                    if (batch.inputs()[batch.index(b, t)] != SelectiveCopyingTask.NOISE) {
                        counts[t]++;
                    }
                }
            }
        }
        double p = (double) m / context;
        double sigma = Math.sqrt(n * p * (1 - p));
        for (int t = 0; t < context; t++) {
            assertEquals(n * p, counts[t], 5 * sigma, "data at position " + t);
        }
    }

    @Test
    void batch_atLongerLength_keepsTheTokensAndStretchesTheContext() {
        Batch batch = task.batch(Split.VALIDATION, 0, 2, 1000);
        assertEquals(2 * 3, batch.answerCount());
        for (int t = 997; t < 1000; t++) {
            assertEquals(SelectiveCopyingTask.MARKER, batch.inputs()[batch.index(1, t)]);
            assertEquals(1f, batch.mask()[batch.index(1, t)]);
        }
    }

    @Test
    void batch_tooShort_namesTheMinimum() {
        var e = assertThrows(IllegalArgumentException.class, () -> task.batch(Split.TRAIN, 0, 1, 5));
        assertTrue(e.getMessage().contains("length ≥ 6"), e.getMessage());
    }

    @Test
    void config_paper_isTheMambaSetting() {
        SelectiveCopyingTask paper = new SelectiveCopyingTask(SelectiveCopyingTask.Config.PAPER, 1L);
        assertEquals(4096, paper.length());
        assertEquals(16, paper.vocabSize());
        assertEquals(16, paper.batch(Split.TRAIN, 0, 1).answerCount());
    }

    @Test
    void config_invalidField_namesIt() {
        assertMessageStarts("tokens:", () -> new SelectiveCopyingTask.Config(0, 4, 10));
        assertMessageStarts("data_tokens:", () -> new SelectiveCopyingTask.Config(2, 1, 10));
        var e = assertThrows(IllegalArgumentException.class, () -> new SelectiveCopyingTask.Config(4, 4, 7));
        assertEquals("length: must be ≥ 2·tokens = 8, got 7", e.getMessage());
    }

    static void assertMessageStarts(String prefix, Runnable action) {
        var e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
