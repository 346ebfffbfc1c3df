package io.seqbench.architectures;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * One registered architecture: its spec key, its mixer config record (with defaults) and its factory.
 *
 * @param key         the spec's {@code model.type}
 * @param family      the family it belongs to (rnn, cnn, transformer, s4, mamba), for reports
 * @param configClass the record the spec's {@code model.mixer} section is read into
 * @param defaults    the mixer config used for every field a spec leaves out
 * @param factory     builds one mixer (one per block)
 * @param <C>         the mixer config record type
 */
public record ArchitectureType<C extends Record>(String key, String family, Class<C> configClass, C defaults,
                                                 BiFunction<C, MixerContext, Mixer> factory) {
    public ArchitectureType {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(configClass, "configClass");
        Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(factory, "factory");
    }

    /** Builds a mixer; the config must be of this type's config class. */
    public Mixer create(Record config, MixerContext context) {
        return factory.apply(configClass.cast(config), context);
    }
}
