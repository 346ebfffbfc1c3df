package io.seqbench.harness;

import io.seqbench.harness.spec.Spec;
import io.seqbench.harness.spec.SpecReader;
import io.seqbench.kernels.op.JavaOps;

import java.util.List;

/** Tiny specs for harness tests: a few seconds of training at most. */
public final class TestSpecs {
    private TestSpecs() {
    }

    public static final String TINY = """
            name: tiny
            seed: 3
            model: {type: lstm, d_model: 16, layers: 1}
            task: {type: copying, tokens: 3, data_tokens: 4, delay: 2}
            train: {steps: 30, batch_size: 8, learning_rate: 0.01, warmup_steps: 5, log_every: 5, checkpoint_every: 10}
            eval: {every: 10, batches: 2, batch_size: 8, lengths: [12]}
            """;

    public static Spec tiny(String... overrides) {
        JavaOps.install();
        return SpecReader.parse(TINY, List.of(overrides), "tiny");
    }
}
