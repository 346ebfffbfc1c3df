package io.seqbench.harness.train;

import io.seqbench.architectures.ModelGraph;
import io.seqbench.harness.spec.TrainConfig;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * One optimizer step: loss, logits and gradients in one SameDiff pass, a NaN/inf check, global-norm clipping
 * and an AdamW update with the scheduled learning rate. The {@link Trainer} and the throughput probe both call
 * this, so what the probe times is exactly what training does.
 */
public final class TrainStep {
    private final Map<String, INDArray> parameters;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final double gradClip;

    /** What one step produced. */
    public record Result(double loss, INDArray logits, double gradNorm) {
    }

    public TrainStep(Map<String, INDArray> parameters, TrainConfig config) {
        this.parameters = parameters;
        this.optimizer = new AdamW(config.beta1(), config.beta2(), config.epsilon(), config.weightDecay());
        this.schedule = new LearningRateSchedule(config.learningRate(), config.warmupSteps(), config.steps(),
                config.minLrRatio());
        this.gradClip = config.gradClip();
    }

    public AdamW optimizer() {
        return optimizer;
    }

    public LearningRateSchedule schedule() {
        return schedule;
    }

    /**
     * Runs step number {@code step} (1-based) on one batch.
     *
     * @throws TrainingFailure if the loss or the gradient norm is not finite
     */
    public Result run(ModelGraph graph, BatchArrays batch, long step) {
        OutAndGrad og = graph.lossAndGradients(batch.tokens(), batch.targets(), batch.mask());
        double loss = og.getOutputs().get(ModelGraph.LOSS).getDouble(0);
        if (!Double.isFinite(loss)) {
            throw new TrainingFailure(step, "the training loss became " + loss + " at step " + step);
        }
        Map<String, INDArray> gradients = og.getGradients();
        double gradNorm = GradientClipping.clip(gradients, gradClip);
        if (!Double.isFinite(gradNorm)) {
            throw new TrainingFailure(step, "the gradient norm became " + gradNorm + " at step " + step);
        }
        optimizer.step(parameters, gradients, schedule.at(step));
        return new Result(loss, og.getOutputs().get(ModelGraph.LOGITS), gradNorm);
    }
}
