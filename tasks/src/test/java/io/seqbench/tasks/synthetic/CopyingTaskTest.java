package io.seqbench.tasks.synthetic;

import io.seqbench.tasks.Batch;
import io.seqbench.tasks.Split;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CopyingTaskTest {
    private final CopyingTask task = new CopyingTask(new CopyingTask.Config(3, 4, 2), 7L);

    @Test
    void batch_sameSeedAndStep_isIdentical() {
        assertEquals(task.batch(Split.TRAIN, 5, 8), new CopyingTask(task.config(), 7L).batch(Split.TRAIN, 5, 8));
    }

    @Test
    void batch_differentSeedStepOrSplit_differs() {
        Batch a = task.batch(Split.TRAIN, 5, 8);
        assertNotEquals(a, new CopyingTask(task.config(), 8L).batch(Split.TRAIN, 5, 8));
        assertNotEquals(a, task.batch(Split.TRAIN, 6, 8));
        assertNotEquals(a, task.batch(Split.VALIDATION, 5, 8));
    }

    @Test
    void batch_layout_matchesTheWorkedExample() {
        Batch batch = task.batch(Split.TRAIN, 0, 16);
        assertEquals(8, batch.length());
        for (int b = 0; b < 16; b++) {
            for (int t = 0; t < 3; t++) {
                int data = batch.inputs()[batch.index(b, t)];
                assertTrue(data >= CopyingTask.FIRST_DATA && data < task.vocabSize());
                assertEquals(data, batch.targets()[batch.index(b, 5 + t)], "answer is the copied token");
            }
            assertEquals(CopyingTask.BLANK, batch.inputs()[batch.index(b, 3)]);
            assertEquals(CopyingTask.GO, batch.inputs()[batch.index(b, 5)]);
            for (int t = 0; t < 8; t++) {
                assertEquals(t >= 5 ? 1f : 0f, batch.mask()[batch.index(b, t)], "mask covers the answers only");
            }
        }
        assertEquals(16 * 3, batch.answerCount());
    }

    @Test
    void batch_atLongerLength_stretchesTheDelay() {
        Batch batch = task.batch(Split.VALIDATION, 0, 2, 20);
        assertEquals(CopyingTask.GO, batch.inputs()[batch.index(1, 17)]);
        assertEquals(2 * 3, batch.answerCount());
    }

    @Test
    void batch_tooShort_namesTheMinimum() {
        var e = assertThrows(IllegalArgumentException.class, () -> task.batch(Split.TRAIN, 0, 1, 5));
        assertTrue(e.getMessage().contains("length ≥ 6"), e.getMessage());
    }

    @Test
    void config_invalidField_namesIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> new CopyingTask.Config(0, 4, 2));
        assertTrue(e.getMessage().startsWith("tokens:"), e.getMessage());
    }
}
