package io.seqbench.harness.train;

/**
 * Linear warm-up from 0 to the peak over {@code warmupSteps}, then cosine decay to {@code minRatio × peak} at
 * the last step.
 *
 * @param peak        the peak learning rate
 * @param warmupSteps steps of linear warm-up
 * @param totalSteps  total optimizer steps
 * @param minRatio    the final rate as a fraction of the peak
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, double minRatio) {

    /** The rate for step {@code step} (1-based: the first update is step 1). */
    public double at(long step) {
        if (warmupSteps > 0 && step <= warmupSteps) {
            return peak * step / warmupSteps;
        }
        long decaySteps = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return peak * (minRatio + (1 - minRatio) * cosine);
    }
}
