package io.seqbench.tasks;

import io.seqbench.tasks.synthetic.AssociativeRecallTask;
import io.seqbench.tasks.synthetic.CopyingTask;
import io.seqbench.tasks.synthetic.InductionHeadsTask;
import io.seqbench.tasks.synthetic.SelectiveCopyingTask;
import io.seqbench.tasks.text.CharLanguageModelTask;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The task registry: one line per task; the key is the {@code type} used in spec files. */
public final class Tasks {

    private static final List<TaskType<?>> ALL = List.of(
            new TaskType<>(CopyingTask.TYPE, CopyingTask.Config.class, CopyingTask.Config.DEFAULTS, CopyingTask::new),
            new TaskType<>(SelectiveCopyingTask.TYPE, SelectiveCopyingTask.Config.class,
                    SelectiveCopyingTask.Config.DEFAULTS, SelectiveCopyingTask::new),
            new TaskType<>(InductionHeadsTask.TYPE, InductionHeadsTask.Config.class,
                    InductionHeadsTask.Config.DEFAULTS, InductionHeadsTask::new),
            new TaskType<>(AssociativeRecallTask.TYPE, AssociativeRecallTask.Config.class,
                    AssociativeRecallTask.Config.DEFAULTS, AssociativeRecallTask::new),
            new TaskType<>(CharLanguageModelTask.TYPE, CharLanguageModelTask.Config.class,
                    CharLanguageModelTask.Config.DEFAULTS, CharLanguageModelTask::new));

    private static final Map<String, TaskType<?>> BY_KEY = index(ALL);

    private Tasks() {
    }

    /** Every registered task, in registration order. */
    public static List<TaskType<?>> all() {
        return ALL;
    }

    /**
     * The task registered under {@code key}.
     *
     * @throws IllegalArgumentException naming the allowed keys when there is none
     */
    public static TaskType<?> get(String key) {
        TaskType<?> type = BY_KEY.get(key);
        if (type == null) {
            throw new IllegalArgumentException("unknown task type '" + key + "'; allowed: " + BY_KEY.keySet());
        }
        return type;
    }

    private static Map<String, TaskType<?>> index(List<TaskType<?>> all) {
        Map<String, TaskType<?>> byKey = new LinkedHashMap<>();
        for (TaskType<?> t : all) {
            if (byKey.put(t.key(), t) != null) {
                throw new IllegalStateException("duplicate task key " + t.key());
            }
        }
        return Map.copyOf(byKey);
    }
}
