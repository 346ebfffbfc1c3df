package io.seqbench.tasks;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * One registered task: its spec key, its typed config record (with defaults) and its factory.
 *
 * @param key         the spec's {@code task.type}
 * @param configClass the config record the {@code task} section of a spec is read into
 * @param defaults    the config used for every field a spec leaves out
 * @param factory     builds the task from a config and a seed
 * @param <C>         the config record type
 */
public record TaskType<C extends Record>(String key, Class<C> configClass, C defaults,
                                         BiFunction<C, Long, Task> factory) {
    public TaskType {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(configClass, "configClass");
        Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(factory, "factory");
    }

    /** Builds the task; the config must be of this type's config class. */
    public Task create(Record config, long seed) {
        return factory.apply(configClass.cast(config), seed);
    }
}
