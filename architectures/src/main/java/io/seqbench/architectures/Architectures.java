package io.seqbench.architectures;

import io.seqbench.architectures.cnn.ConvMixer;
import io.seqbench.architectures.mamba.MambaMixer;
import io.seqbench.architectures.rnn.GruMixer;
import io.seqbench.architectures.rnn.LstmMixer;
import io.seqbench.architectures.s4.S4Mixer;
import io.seqbench.architectures.transformer.TransformerMixer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The architecture registry: one line per architecture; the key is the {@code type} used in spec files. */
public final class Architectures {

    private static final List<ArchitectureType<?>> ALL = List.of(
            new ArchitectureType<>(LstmMixer.TYPE, "rnn", LstmMixer.Config.class, LstmMixer.Config.DEFAULTS,
                    LstmMixer::new),
            new ArchitectureType<>(GruMixer.TYPE, "rnn", GruMixer.Config.class, GruMixer.Config.DEFAULTS,
                    GruMixer::new),
            new ArchitectureType<>(ConvMixer.TYPE, "cnn", ConvMixer.Config.class, ConvMixer.Config.DEFAULTS,
                    List.of(new ConvMixer.Config(1, 3, List.of(1, 2))), ConvMixer::new),
            new ArchitectureType<>(TransformerMixer.TYPE, "transformer", TransformerMixer.Config.class,
                    TransformerMixer.Config.DEFAULTS, TransformerMixer.Config.VARIANTS, TransformerMixer::new),
            new ArchitectureType<>(S4Mixer.TYPE, "s4", S4Mixer.Config.class, S4Mixer.Config.DEFAULTS,
                    S4Mixer.Config.VARIANTS, S4Mixer::new),
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
