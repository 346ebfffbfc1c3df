package io.seqbench.harness.spec;

import io.seqbench.tasks.Task;
import io.seqbench.tasks.TaskType;
import io.seqbench.tasks.Tasks;

import java.util.Objects;

/**
 * The {@code task} section of a spec: the registry key and the task's typed config.
 *
 * @param type   the registry key
 * @param config the task's config record
 */
public record TaskSpec(String type, Record config) {
    public TaskSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
    }

    /** Builds the task with the given seed. */
    public Task create(long seed) {
        TaskType<?> taskType = Tasks.get(type);
        return taskType.create(config, seed);
    }
}
