package io.seqbench.harness.spec;

import io.seqbench.architectures.ModelConfig;

import java.util.Objects;

/**
 * A measurement run: throughput (training tokens/s, prefill tokens/s, decode latency per token against context
 * length) or memory (peak resident memory of a fresh JVM per length, allocation traffic per step, inference
 * state size) of one model over a list of lengths.
 *
 * @param name  a label (letters, digits, '.', '_', '-')
 * @param seed  initialisation and token seed
 * @param kind  {@code throughput} or {@code memory}
 * @param model the model section
 * @param probe the probe section
 */
public record ProbeSpec(String name, long seed, String kind, ModelConfig model, ProbeConfig probe)
        implements RunSpec {
    public static final String THROUGHPUT = "throughput";
    public static final String MEMORY = "memory";

    public ProbeSpec {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9._-]{1,80}")) {
            throw new IllegalArgumentException("name: must be 1-80 letters, digits, '.', '_' or '-', got '"
                    + name + "'");
        }
        if (!THROUGHPUT.equals(kind) && !MEMORY.equals(kind)) {
            throw new IllegalArgumentException("kind: must be one of [train, throughput, memory], got '" + kind + "'");
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(probe, "probe");
    }

    @Override
    public int threads() {
        return probe.threads();
    }
}
