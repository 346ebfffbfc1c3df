package io.seqbench.harness.train;

import io.seqbench.architectures.Backbone;
import io.seqbench.architectures.ModelGraph;
import io.seqbench.harness.spec.EvalConfig;
import io.seqbench.harness.spec.Spec;
import io.seqbench.harness.spec.TrainConfig;
import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunDirectory;
import io.seqbench.harness.store.Summary;
import io.seqbench.tasks.Batch;
import io.seqbench.tasks.Metric;
import io.seqbench.tasks.Seeds;
import io.seqbench.tasks.Split;
import io.seqbench.tasks.Task;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The one training loop: every architecture and every task train through it, and it knows neither.
 *
 * <p>Per step: the task's training batch number {@code step − 1}; loss, logits and gradients in one SameDiff pass;
 * a NaN/inf check (the run fails with the step and the reason); global-norm clipping; AdamW with warm-up + cosine
 * learning rate. Every {@code log_every} steps a {@code train} line (means over the window), every
 * {@code eval.every} steps an {@code eval} line on the fixed held-out batches, every {@code checkpoint_every}
 * steps a checkpoint. At the end: a final evaluation, length generalization at {@code eval.lengths}, and the
 * summary.
 *
 * <p>Seeds: the parameters are initialised from {@code mix(seed, 1)} and the data stream is drawn from
 * {@code mix(seed, 2)}, so changing one never changes the other.
 */
public final class Trainer {
    private final Spec spec;
    private final RunDirectory dir;
    private final TrainingListener listener;
    private final LongSupplier nanoClock;
    private final Task task;
    private final Backbone model;
    private final TrainStep trainStep;
    private final List<Map<String, Double>> evaluations = new ArrayList<>();
    private final List<Long> evaluationSteps = new ArrayList<>();
    private final List<Double> throughputs = new ArrayList<>();

    public Trainer(Spec spec, RunDirectory dir, TrainingListener listener, LongSupplier nanoClock) {
        this.spec = spec;
        this.dir = dir;
        this.listener = listener;
        this.nanoClock = nanoClock;
        Threads.pin(spec.train().threads());
        this.task = spec.task().create(dataSeed(spec.seed()));
        // learned positions size their table by the longest length the run will see (rows beyond the training
        // length stay untrained, as in the Mamba paper's length-generalization runs)
        int maxLength = task.length();
        for (int length : spec.eval().lengths()) {
            maxLength = Math.max(maxLength, length);
        }
        this.model = new Backbone(spec.model(), task.vocabSize(), maxLength, modelSeed(spec.seed()), DataType.FLOAT);
        this.trainStep = new TrainStep(model.parameters().all(), spec.train());
    }

    static long modelSeed(long seed) {
        return Seeds.mix(seed, 1);
    }

    static long dataSeed(long seed) {
        return Seeds.mix(seed, 2);
    }

    public Backbone model() {
        return model;
    }

    public Task task() {
        return task;
    }

    /**
     * Trains from the start, or from {@code resume} (restoring parameters and optimizer state), to the last
     * step, then evaluates and returns the summary.
     *
     * @throws TrainingFailure when training cannot go on (divergence); the caller records it
     */
    public Summary train(Optional<Checkpoint> resume) {
        TrainConfig t = spec.train();
        long first = 1;
        if (resume.isPresent()) {
            restore(resume.get());
            first = resume.get().step() + 1;
            listener.onMessage("resumed from the checkpoint at step " + resume.get().step());
        }
        ModelGraph graph = model.graph(t.batchSize(), task.length());
        listener.onStart(first, t.steps());
        Scores window = new Scores();
        double gradNormSum = 0;
        long windowStart = nanoClock.getAsLong();
        MemoryGuard memory = MemoryGuard.forThisProcess();
        try {
            for (long step = first; step <= t.steps(); step++) {
                Batch batch = task.batch(Split.TRAIN, step - 1, t.batchSize());
                BatchArrays arrays = BatchArrays.of(batch, DataType.FLOAT);
                TrainStep.Result result = trainStep.run(graph, arrays, step);
                window.add(batch, result.logits(), result.loss());
                memory.afterStep();
                gradNormSum += result.gradNorm();
                listener.onStep(step, result.loss());

                boolean last = step == t.steps();
                if (step % t.logEvery() == 0 || last) {
                    long now = nanoClock.getAsLong();
                    long stepsInWindow = step % t.logEvery() == 0 ? t.logEvery() : step % t.logEvery();
                    double seconds = (now - windowStart) / 1e9;
                    double tokensPerSecond = stepsInWindow * (double) t.batchSize() * task.length() / seconds;
                    throughputs.add(tokensPerSecond);
                    Map<String, Double> values = values(window);
                    values.put("learning_rate", trainStep.schedule().at(step));
                    values.put("grad_norm", gradNormSum / stepsInWindow);
                    emit(new MetricsLine(step, MetricsLine.TRAIN, task.length(), values,
                            Map.of("seconds", seconds, "tokens_per_second", tokensPerSecond)));
                    window = new Scores();
                    gradNormSum = 0;
                    windowStart = nanoClock.getAsLong();
                }
                EvalConfig e = spec.eval();
                if ((e.every() > 0 && step % e.every() == 0) || last) {
                    long start = nanoClock.getAsLong();
                    Map<String, Double> values = evaluate(task.length());
                    evaluations.add(values);
                    evaluationSteps.add(step);
                    emit(new MetricsLine(step, MetricsLine.EVAL, task.length(), values,
                            Map.of("seconds", (nanoClock.getAsLong() - start) / 1e9)));
                    windowStart += nanoClock.getAsLong() - start;   // evaluation time is not training time
                }
                if ((t.checkpointEvery() > 0 && step % t.checkpointEvery() == 0) || last) {
                    long start = nanoClock.getAsLong();
                    checkpoint(step);
                    windowStart += nanoClock.getAsLong() - start;
                }
            }
        } catch (OutOfMemoryError e) {
            throw new TrainingFailure(trainStep.optimizer().steps(), "out of memory during training: " + e.getMessage(), e);
        }
        List<Summary.LengthResult> lengths = new ArrayList<>();
        for (int length : spec.eval().lengths()) {
            lengths.add(evaluateLength(length));
        }
        listener.onEnd();
        return summary(lengths);
    }

    private Summary.LengthResult evaluateLength(int length) {
        if (!task.supportsLength(length) || !model.supportsLength(length)) {
            String who = !task.supportsLength(length) ? "the task" : "the model";
            listener.onMessage("length " + length + ": not supported by " + who);
            return new Summary.LengthResult(length, false, Map.of());
        }
        try {
            long start = nanoClock.getAsLong();
            Map<String, Double> values = evaluate(length);
            emit(new MetricsLine(spec.train().steps(), MetricsLine.EVAL_LENGTH, length, values,
                    Map.of("seconds", (nanoClock.getAsLong() - start) / 1e9)));
            return new Summary.LengthResult(length, true, values);
        } catch (OutOfMemoryError e) {
            listener.onMessage("length " + length + ": out of memory");
            return new Summary.LengthResult(length, false, Map.of("out_of_memory", 1.0));
        }
    }

    /**
     * Held-out scores at {@code length}: the same {@code eval.batches} validation batches every time. At lengths
     * above the training length the batch size shrinks so a batch holds no more tokens than at training length,
     * and memory is released between batches and after the length (its graph is not kept).
     */
    Map<String, Double> evaluate(int length) {
        EvalConfig e = spec.eval();
        long budget = (long) e.batchSize() * task.length();
        int batchSize = (int) Math.max(1, Math.min(e.batchSize(), budget / length));
        ModelGraph graph = model.graph(batchSize, length);
        Scores scores = new Scores();
        for (int i = 0; i < e.batches(); i++) {
            Batch batch = task.batch(Split.VALIDATION, i, batchSize, length);
            BatchArrays arrays = BatchArrays.of(batch, DataType.FLOAT);
            Map<String, INDArray> out = graph.evaluate(arrays.tokens(), arrays.targets(), arrays.mask());
            scores.add(batch, out.get(ModelGraph.LOGITS), out.get(ModelGraph.LOSS).getDouble(0));
            if (length > task.length()) {
                // ND4J's off-heap arrays are freed only when their Java wrappers are collected, and the heap alone
                // rarely asks for a collection: at long lengths, one batch's dead activations (an attention layer's
                // L × L scores) would otherwise still hold memory while the next batch allocates its own
                System.gc();
            }
        }
        if (length > task.length()) {
            model.clearGraphs();
            System.gc();
        }
        return values(scores);
    }

    private Map<String, Double> values(Scores scores) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", scores.loss());
        if (task.metric() == Metric.BITS_PER_CHARACTER) {
            values.put("bits_per_character", scores.bitsPerCharacter());
            values.put("perplexity", Math.exp(scores.loss()));
        }
        values.put("accuracy", scores.accuracy());
        if (task.metric() == Metric.ACCURACY) {
            values.put("sequence_accuracy", scores.sequenceAccuracy());
        }
        return values;
    }

    private void emit(MetricsLine line) {
        try {
            dir.appendMetrics(line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + dir.path().resolve(RunDirectory.METRICS), e);
        }
        listener.onMetrics(line);
    }

    private void checkpoint(long step) {
        try {
            new Checkpoint(step, model.parameters().all(), trainStep.optimizer().firstMoments(),
                    trainStep.optimizer().secondMoments())
                    .write(dir.checkpoints());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint into " + dir.checkpoints(), e);
        }
    }

    private void restore(Checkpoint c) {
        Map<String, INDArray> parameters = model.parameters().all();
        if (!c.parameters().keySet().equals(parameters.keySet())) {
            throw new IllegalStateException("the checkpoint's parameters " + c.parameters().keySet()
                    + " do not match the model's " + parameters.keySet());
        }
        for (Map.Entry<String, INDArray> p : parameters.entrySet()) {
            INDArray saved = c.parameters().get(p.getKey());
            if (!Arrays.equals(saved.shape(), p.getValue().shape())) {
                throw new IllegalStateException("checkpoint parameter " + p.getKey() + " has shape "
                        + Arrays.toString(saved.shape()) + ", the model's has " + Arrays.toString(p.getValue().shape()));
            }
            p.getValue().assign(saved);    // in place: the graphs hold these arrays
        }
        trainStep.optimizer().restore(c.step(), c.first(), c.second());
        // evaluations before the checkpoint are read back from metrics.jsonl by the caller if needed
    }

    /** Held-out values recorded before a resume (so "best" covers the whole run). */
    public void addEarlierEvaluation(long step, Map<String, Double> values) {
        evaluationSteps.add(step);
        evaluations.add(values);
    }

    /** Training throughputs recorded before a resume. */
    public void addEarlierThroughput(double tokensPerSecond) {
        throughputs.add(tokensPerSecond);
    }

    private Summary summary(List<Summary.LengthResult> lengths) {
        String key = task.metric() == Metric.BITS_PER_CHARACTER ? "bits_per_character" : "accuracy";
        boolean higher = task.metric().higherIsBetter();
        Map<String, Double> best = null;
        long bestStep = 0;
        for (int i = 0; i < evaluations.size(); i++) {
            Map<String, Double> e = evaluations.get(i);
            if (best == null || (higher ? e.get(key) > best.get(key) : e.get(key) < best.get(key))) {
                best = e;
                bestStep = evaluationSteps.get(i);
            }
        }
        Map<String, Double> bestWithStep = new LinkedHashMap<>(best == null ? Map.of() : best);
        bestWithStep.put("step", (double) bestStep);
        Map<String, Long> stateSize = new LinkedHashMap<>();
        stateSize.put("1024", model.stateSize(1024));
        stateSize.put("16384", model.stateSize(16384));
        List<Double> sorted = throughputs.stream().sorted().toList();
        Double median = sorted.isEmpty() ? null : sorted.get(sorted.size() / 2);
        return new Summary(task.metric().name().toLowerCase(java.util.Locale.ROOT), spec.train().steps(),
                model.parameterCount(), evaluations.isEmpty() ? Map.of() : evaluations.get(evaluations.size() - 1),
                bestWithStep, lengths, stateSize, task.referenceValues(), median);
    }
}
