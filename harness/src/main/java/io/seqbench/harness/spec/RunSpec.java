package io.seqbench.harness.spec;

import io.seqbench.architectures.ModelConfig;

/**
 * Anything {@code seqbench} can run and record: a training run ({@link Spec}) or a measurement probe
 * ({@link ProbeSpec}). A spec file says which by its top-level {@code kind} (default {@code train}).
 */
public sealed interface RunSpec permits Spec, ProbeSpec {

    /** The run's label. */
    String name();

    /** The seed everything is derived from. */
    long seed();

    /** The model section. */
    ModelConfig model();

    /** {@code train}, {@code throughput} or {@code memory}. */
    String kind();

    /** The CPU threads the run is pinned to. */
    int threads();
}
