package io.seqbench.tasks.synthetic;

import io.seqbench.tasks.Batch;
import io.seqbench.tasks.Split;
import io.seqbench.tasks.TaskFixtures;
import org.junit.jupiter.api.Test;

import static io.seqbench.tasks.synthetic.SelectiveCopyingTaskTest.assertMessageStarts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InductionHeadsTaskTest {
    private final InductionHeadsTask task = new InductionHeadsTask(new InductionHeadsTask.Config(5, 8), 7L);

    @Test
    void batch_layout_matchesTheWorkedExample() {
        Batch batch = task.batch(Split.TRAIN, 0, 64);
        for (int b = 0; b < 64; b++) {
            int first = -1;
            int triggers = 0;
            for (int t = 0; t < 8; t++) {
                int token = batch.inputs()[batch.index(b, t)];
                assertTrue(token >= 0 && token <= 5);
                if (token == InductionHeadsTask.TRIGGER) {
                    triggers++;
                    if (first < 0) {
                        first = t;
                    }
                }
                assertEquals(t == 7 ? 1f : 0f, batch.mask()[batch.index(b, t)], "the answer is at the last position");
            }
            assertEquals(2, triggers, "the trigger occurs exactly twice");
            assertTrue(first <= 5, "the first trigger leaves room for its successor before the end");
            assertEquals(InductionHeadsTask.TRIGGER, batch.inputs()[batch.index(b, 7)]);
            int successor = batch.inputs()[batch.index(b, first + 1)];
            assertTrue(successor >= InductionHeadsTask.FIRST_DATA);
            assertEquals(successor, batch.targets()[batch.index(b, 7)]);
        }
    }

    /** The first trigger is uniform over [0, L − 3]; 5 binomial standard deviations per position (see above). */
    @Test
    void batch_firstTrigger_isUniformOverThePrefix() {
        int n = 30_000;
        int[] counts = new int[6];
        for (int step = 0; step < n / 100; step++) {
            Batch batch = task.batch(Split.VALIDATION, step, 100);
            for (int b = 0; b < 100; b++) {
                for (int t = 0; t < 8; t++) {
                    if (batch.inputs()[batch.index(b, t)] == InductionHeadsTask.TRIGGER) {
                        counts[t]++;
                        break;
                    }
                }
            }
        }
        double p = 1.0 / 6;
        for (int t = 0; t < 6; t++) {
            assertEquals(n * p, counts[t], 5 * Math.sqrt(n * p * (1 - p)), "first trigger at " + t);
        }
    }

    @Test
    void batch_atTwoToTheTwenty_isSolvedWithTheTriggerAtTheEnd() {
        InductionHeadsTask paper = new InductionHeadsTask(InductionHeadsTask.Config.PAPER, 3L);
        int length = 1 << 20;
        Batch batch = paper.batch(Split.VALIDATION, 0, 1, length);
        assertEquals(1, batch.answerCount());
        assertEquals(1f, batch.mask()[length - 1]);
        assertEquals(InductionHeadsTask.TRIGGER, batch.inputs()[length - 1]);
        assertEquals(1.0, TaskFixtures.accuracy(batch, TaskFixtures.SOLVERS.get(InductionHeadsTask.TYPE).apply(paper)));
    }

    @Test
    void config_paper_isTheMambaSetting() {
        InductionHeadsTask paper = new InductionHeadsTask(InductionHeadsTask.Config.PAPER, 1L);
        assertEquals(256, paper.length());
        assertEquals(16, paper.vocabSize());
    }

    @Test
    void batch_tooShort_namesTheMinimum() {
        var e = assertThrows(IllegalArgumentException.class, () -> task.batch(Split.TRAIN, 0, 1, 2));
        assertTrue(e.getMessage().contains("length ≥ 3"), e.getMessage());
    }

    @Test
    void config_invalidField_namesIt() {
        assertMessageStarts("data_tokens:", () -> new InductionHeadsTask.Config(1, 8));
        assertMessageStarts("length:", () -> new InductionHeadsTask.Config(4, 2));
    }
}
