package io.seqbench.harness.spec;

import static io.seqbench.harness.spec.Checks.require;

/**
 * How a model is trained: the {@code train} section of a spec.
 *
 * @param steps           optimizer steps (≥ 1)
 * @param batchSize       sequences per step (≥ 1)
 * @param learningRate    peak learning rate of AdamW (&gt; 0)
 * @param minLrRatio      final learning rate as a fraction of the peak, reached by cosine decay ([0, 1])
 * @param warmupSteps     linear warm-up from 0 to the peak (≥ 0)
 * @param weightDecay     decoupled weight decay, applied to matrices only (≥ 0)
 * @param beta1           AdamW first-moment decay ([0, 1))
 * @param beta2           AdamW second-moment decay ([0, 1))
 * @param epsilon         AdamW denominator floor (&gt; 0)
 * @param gradClip        maximum global gradient norm; 0 disables clipping (≥ 0)
 * @param threads         CPU threads for ND4J and the Java kernels, pinned and recorded (≥ 1)
 * @param logEvery        steps between lines in metrics.jsonl (≥ 1)
 * @param checkpointEvery steps between checkpoints, a multiple of log_every; 0 writes only the final one
 */
public record TrainConfig(int steps, int batchSize, double learningRate, double minLrRatio, int warmupSteps,
                          double weightDecay, double beta1, double beta2, double epsilon, double gradClip,
                          int threads, int logEvery, int checkpointEvery) {
    public static final TrainConfig DEFAULTS =
            new TrainConfig(1000, 32, 3e-3, 0.1, 100, 0.0, 0.9, 0.999, 1e-8, 1.0, 1, 10, 500);

    public TrainConfig {
        require(steps >= 1, "steps", "must be ≥ 1", steps);
        require(batchSize >= 1, "batch_size", "must be ≥ 1", batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning_rate", "must be > 0", learningRate);
        require(minLrRatio >= 0 && minLrRatio <= 1, "min_lr_ratio", "must be in [0, 1]", minLrRatio);
        require(warmupSteps >= 0, "warmup_steps", "must be ≥ 0", warmupSteps);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay", "must be ≥ 0", weightDecay);
        require(beta1 >= 0 && beta1 < 1, "beta1", "must be in [0, 1)", beta1);
        require(beta2 >= 0 && beta2 < 1, "beta2", "must be in [0, 1)", beta2);
        require(epsilon > 0, "epsilon", "must be > 0", epsilon);
        require(gradClip >= 0 && Double.isFinite(gradClip), "grad_clip", "must be ≥ 0 (0 = off)", gradClip);
        require(threads >= 1 && threads <= 1024, "threads", "must be in [1, 1024]", threads);
        require(logEvery >= 1, "log_every", "must be ≥ 1", logEvery);
        require(checkpointEvery >= 0, "checkpoint_every", "must be ≥ 0 (0 = only at the end)", checkpointEvery);
        // a resumed run restarts the running training averages at a checkpoint, so checkpoints sit on log steps
        require(checkpointEvery % logEvery == 0, "checkpoint_every",
                "must be a multiple of log_every (" + logEvery + ")", checkpointEvery);
    }
}
