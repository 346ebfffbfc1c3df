package io.seqbench.harness.spec;

import java.util.List;

import static io.seqbench.harness.spec.Checks.require;

/**
 * How a model is evaluated: the {@code eval} section of a spec. Evaluation batches come from the task's
 * validation stream, which is disjoint from the training stream; the same batches are used at every evaluation.
 *
 * @param every     steps between evaluations; 0 evaluates only at the end (≥ 0)
 * @param batches   batches per evaluation (≥ 1)
 * @param batchSize sequences per evaluation batch (≥ 1)
 * @param lengths   extra sequence lengths evaluated at the end, for length generalization (each ≥ 1)
 */
public record EvalConfig(int every, int batches, int batchSize, List<Integer> lengths) {
    public static final EvalConfig DEFAULTS = new EvalConfig(100, 4, 64, List.of());

    public EvalConfig {
        require(every >= 0, "every", "must be ≥ 0 (0 = only at the end)", every);
        require(batches >= 1, "batches", "must be ≥ 1", batches);
        require(batchSize >= 1, "batch_size", "must be ≥ 1", batchSize);
        require(lengths != null, "lengths", "must be a list of lengths", lengths);
        for (Integer l : lengths) {
            require(l != null && l >= 1, "lengths", "must hold lengths ≥ 1", lengths);
        }
        lengths = List.copyOf(lengths);
    }
}
