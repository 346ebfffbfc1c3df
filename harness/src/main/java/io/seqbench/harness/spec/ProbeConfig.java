package io.seqbench.harness.spec;

import java.util.List;

import static io.seqbench.harness.spec.Checks.require;

/**
 * What a probe measures: the {@code probe} section of a spec of kind {@code throughput} or {@code memory}.
 * Inputs are random tokens; no task is trained.
 *
 * @param lengths            sequence lengths to measure, ascending (each ≥ 1)
 * @param batchSize          sequences per batch (≥ 1)
 * @param vocab              vocabulary of the random tokens (≥ 2)
 * @param warmup             untimed repetitions before timing (≥ 0)
 * @param repeats            timed repetitions per point; the median is reported with min and max (≥ 5)
 * @param decodeTokens       tokens generated one by one at each context length to time decoding, each a timed
 *                           repeat (≥ 5);
 *                           throughput probes only
 * @param steps              training steps per memory point (≥ 1); memory probes only
 * @param threads            CPU threads, pinned and recorded (≥ 1)
 * @param timeBudgetSeconds  a point that takes longer is recorded as a timeout, and longer lengths of the same
 *                           measurement are skipped (&gt; 0)
 * @param memoryLimitMb      memory probes: the largest resident set a measurement may reach; passing it is
 *                           recorded as out of memory at that length (≥ 256)
 */
public record ProbeConfig(List<Integer> lengths, int batchSize, int vocab, int warmup, int repeats,
                          int decodeTokens, int steps, int threads, double timeBudgetSeconds, int memoryLimitMb) {
    public static final ProbeConfig DEFAULTS = new ProbeConfig(List.of(128, 256, 512, 1024, 2048, 4096, 8192), 8,
            16, 2, 5, 16, 2, 1, 120, 8192);

    public ProbeConfig {
        require(lengths != null && !lengths.isEmpty(), "lengths", "must list at least one length", lengths);
        int previous = 0;
        for (Integer l : lengths) {
            require(l != null && l >= 1, "lengths", "must hold lengths ≥ 1", lengths);
            require(l > previous, "lengths", "must be strictly ascending", lengths);
            previous = l;
        }
        lengths = List.copyOf(lengths);
        require(batchSize >= 1, "batch_size", "must be ≥ 1", batchSize);
        require(vocab >= 2, "vocab", "must be ≥ 2", vocab);
        require(warmup >= 0, "warmup", "must be ≥ 0", warmup);
        require(repeats >= 5, "repeats", "must be ≥ 5 (medians need repeats)", repeats);
        require(decodeTokens >= 5, "decode_tokens", "must be ≥ 5 (each is a timed repeat)", decodeTokens);
        require(steps >= 1, "steps", "must be ≥ 1", steps);
        require(threads >= 1 && threads <= 1024, "threads", "must be in [1, 1024]", threads);
        require(timeBudgetSeconds > 0, "time_budget_seconds", "must be > 0", timeBudgetSeconds);
        require(memoryLimitMb >= 256, "memory_limit_mb", "must be ≥ 256", memoryLimitMb);
    }
}
