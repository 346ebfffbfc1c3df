package io.seqbench.harness.spec;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.UncheckedIOException;

/** Writes a {@link Spec} as the resolved YAML that {@link SpecReader} reads back to an equal spec. */
public final class SpecWriter {
    private SpecWriter() {
    }

    public static String toYaml(RunSpec spec) {
        try {
            return SpecReader.YAML.writeValueAsString(SpecReader.toTree(spec));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
