package io.seqbench.harness.train;

import io.seqbench.harness.store.MetricsLine;

/** Receives a training run's progress (a console progress bar, a suite's overall progress). */
public interface TrainingListener {

    /** Training is about to start at {@code firstStep} (1, or later when resumed) of {@code totalSteps}. */
    default void onStart(long firstStep, long totalSteps) {
    }

    /** A step finished with this training loss. */
    default void onStep(long step, double loss) {
    }

    /** A metrics line was written. */
    default void onMetrics(MetricsLine line) {
    }

    /** A message worth showing (evaluations, checkpoints, warnings). */
    default void onMessage(String message) {
    }

    /** Training ended (completed or failed). */
    default void onEnd() {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
