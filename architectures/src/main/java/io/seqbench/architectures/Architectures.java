package io.seqbench.architectures;

import io.seqbench.architectures.mamba.MambaMixer;
import io.seqbench.architectures.rnn.LstmMixer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The architecture registry: one line per architecture; the key is the {@code type} used in spec files. */
public final class Architectures {

    private static final List<ArchitectureType<?>> ALL = List.of(
            new ArchitectureType<>(LstmMixer.TYPE, "rnn", LstmMixer.Config.class, LstmMixer.Config.DEFAULTS, LstmMixer::new),
            new ArchitectureType<>(MambaMixer.TYPE, "mamba", MambaMixer.Config.class, MambaMixer.Config.DEFAULTS,
                    MambaMixer.Config.VARIANTS, MambaMixer::new));

    private static final Map<String, ArchitectureType<?>> BY_KEY = index(ALL);

    private Architectures() {
    }

    /** Every registered architecture, in registration order. */
    public static List<ArchitectureType<?>> all() {
        return ALL;
    }

    /**
     * The architecture registered under {@code key}.
     *
     * @throws IllegalArgumentException naming the allowed keys when there is none
     */
    public static ArchitectureType<?> get(String key) {
        ArchitectureType<?> type = BY_KEY.get(key);
        if (type == null) {
            throw new IllegalArgumentException("unknown model type '" + key + "'; allowed: " + BY_KEY.keySet());
        }
        return type;
    }

    private static Map<String, ArchitectureType<?>> index(List<ArchitectureType<?>> all) {
        Map<String, ArchitectureType<?>> byKey = new LinkedHashMap<>();
        for (ArchitectureType<?> t : all) {
            if (byKey.put(t.key(), t) != null) {
                throw new IllegalStateException("duplicate architecture key " + t.key());
            }
        }
        return java.util.Collections.unmodifiableMap(byKey);
    }
}
