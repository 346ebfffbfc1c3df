package io.seqbench.harness.store;

import java.util.List;
import java.util.Map;

/**
 * The content of {@code summary.json}: the results of a finished run.
 *
 * @param metric           the task's metric ({@code accuracy} or {@code bits_per_character})
 * @param steps            optimizer steps completed
 * @param parameters       trainable scalar parameters of the model
 * @param finalEval        held-out values after the last step, at the training length
 * @param bestEval         the best held-out value of the task's metric over all evaluations, with its step
 * @param lengths          held-out values at other lengths (length generalization), in the order of the spec
 * @param stateSize        inference state per sequence, in scalars, at context lengths 1K and 16K
 * @param references       reference values of the task (chance level, optimal bits per character, ...)
 * @param trainTokensPerSecond median training throughput over logged intervals (wall clock)
 */
public record Summary(String metric, long steps, long parameters, Map<String, Double> finalEval,
                      Map<String, Double> bestEval, List<LengthResult> lengths, Map<String, Long> stateSize,
                      Map<String, Double> references, Double trainTokensPerSecond) {

    /**
     * Held-out results at one sequence length.
     *
     * @param length    the evaluated length
     * @param supported false when the model cannot run at this length (e.g. learned positions); values empty
     * @param values    the measurements
     */
    public record LengthResult(int length, boolean supported, Map<String, Double> values) {
    }
}
