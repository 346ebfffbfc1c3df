package io.seqbench.harness.train;

/** A run that cannot go on, with the step at which it stopped (e.g. the loss became NaN). */
public final class TrainingFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;

    public TrainingFailure(long step, String reason) {
        super(reason);
        this.step = step;
    }

    public TrainingFailure(long step, String reason, Throwable cause) {
        super(reason, cause);
        this.step = step;
    }

    public long step() {
        return step;
    }
}
