package io.seqbench.tasks;

import io.seqbench.tasks.synthetic.AssociativeRecallTask;
import io.seqbench.tasks.synthetic.CopyingTask;
import io.seqbench.tasks.synthetic.InductionHeadsTask;
import io.seqbench.tasks.synthetic.SelectiveCopyingTask;
import io.seqbench.tasks.text.CharLanguageModelTask;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TasksTest {

    @Test
    void all_listsTheSuiteInOrder() {
        assertEquals(List.of(CopyingTask.TYPE, SelectiveCopyingTask.TYPE, InductionHeadsTask.TYPE,
                        AssociativeRecallTask.TYPE, CharLanguageModelTask.TYPE),
                Tasks.all().stream().map(TaskType::key).toList());
        assertEquals(List.of("copying", "selective_copying", "induction_heads", "mqar", "char_lm"),
                Tasks.all().stream().map(TaskType::key).toList());
    }

    @Test
    void get_registeredKey_returnsItsType() {
        for (TaskType<?> type : Tasks.all()) {
            assertSame(type, Tasks.get(type.key()));
            assertTrue(type.configClass().isInstance(type.defaults()));
        }
    }

    @Test
    void get_unknownKey_listsTheAllowedOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tasks.get("selective-copying"));
        assertTrue(e.getMessage().contains("unknown task type 'selective-copying'"), e.getMessage());
        for (TaskType<?> type : Tasks.all()) {
            assertTrue(e.getMessage().contains(type.key()), e.getMessage());
        }
    }

    @Test
    void create_configOfAnotherTask_isRejected() {
        assertThrows(ClassCastException.class,
                () -> Tasks.get(InductionHeadsTask.TYPE).create(CopyingTask.Config.DEFAULTS, 1L));
    }
}
