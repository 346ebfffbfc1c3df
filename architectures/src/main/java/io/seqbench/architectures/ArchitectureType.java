package io.seqbench.architectures;

import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * One registered architecture: its spec key, its mixer config record (with defaults) and its factory.
 *
 * @param key         the spec's {@code model.type}
 * @param family      the family it belongs to (rnn, cnn, transformer, s4, mamba), for reports
 * @param configClass the record the spec's {@code model.mixer} section is read into
 * @param defaults    the mixer config used for every field a spec leaves out
 * @param variants    further configs the registry-wide property tests must cover (e.g. each positional
 *                    encoding of a Transformer); the defaults are always covered
 * @param factory     builds one mixer (one per block)
 * @param <C>         the mixer config record type
 */
public record ArchitectureType<C extends Record>(String key, String family, Class<C> configClass, C defaults,
                                                 List<C> variants, BiFunction<C, MixerContext, Mixer> factory) {
    public ArchitectureType {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(configClass, "configClass");
        Objects.requireNonNull(defaults, "defaults");
        variants = List.copyOf(variants);
        Objects.requireNonNull(factory, "factory");
    }

    /** An architecture whose defaults are its only tested configuration. */
    public ArchitectureType(String key, String family, Class<C> configClass, C defaults,
                            BiFunction<C, MixerContext, Mixer> factory) {
        this(key, family, configClass, defaults, List.of(), factory);
    }

    /** The defaults followed by the variants: every config the property tests build. */
    public List<C> testedConfigs() {
        List<C> all = new java.util.ArrayList<>();
        all.add(defaults);
        all.addAll(variants);
        return all;
    }

    /** Builds a mixer; the config must be of this type's config class. */
    public Mixer create(Record config, MixerContext context) {
        return factory.apply(configClass.cast(config), context);
    }
}
