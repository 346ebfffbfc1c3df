package io.seqbench.harness.probe;

import io.seqbench.architectures.Backbone;
import io.seqbench.architectures.ModelGraph;
import io.seqbench.harness.spec.ProbeConfig;
import io.seqbench.harness.spec.ProbeSpec;
import io.seqbench.harness.spec.TrainConfig;
import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.train.BatchArrays;
import io.seqbench.harness.train.Threads;
import io.seqbench.harness.train.TrainStep;
import io.seqbench.tasks.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Measures how fast a model runs as sequences grow, on random tokens:
 * <ul>
 *   <li>{@code throughput}: training tokens/s (forward + backward + AdamW update, the trainer's own step) at each
 *       length, batch {@code batch_size};</li>
 *   <li>{@code prefill}: inference tokens/s of the parallel forward at each length;</li>
 *   <li>{@code decode}: latency per generated token, batch 1, at context lengths equal to the lengths, using the
 *       recurrent {@code step} (a KV cache for attention, a constant state otherwise).</li>
 * </ul>
 * Each point runs {@code warmup} untimed and {@code repeats} timed repetitions; the median, min and max are
 * recorded. A point that runs out of memory or over the time budget is recorded as such and longer lengths of
 * that measurement are skipped; the other measurements go on.
 */
public final class ThroughputProbe {
    private final ProbeSpec spec;
    private final Consumer<MetricsLine> sink;
    private final Consumer<String> progress;
    private final LongSupplier nanoClock;

    public ThroughputProbe(ProbeSpec spec, Consumer<MetricsLine> sink, Consumer<String> progress,
                           LongSupplier nanoClock) {
        this.spec = spec;
        this.sink = sink;
        this.progress = progress;
        this.nanoClock = nanoClock;
    }

    public void run() {
        ProbeConfig p = spec.probe();
        Threads.pin(p.threads());
        int maxLength = p.lengths().get(p.lengths().size() - 1);
        Backbone model = new Backbone(spec.model(), p.vocab(), maxLength, Seeds.mix(spec.seed(), 1), DataType.FLOAT);
        TrainStep step = new TrainStep(model.parameters().all(), TrainConfig.DEFAULTS);
        boolean trainOff = false;
        boolean prefillOff = false;
        long stepNumber = 0;
        for (int length : p.lengths()) {
            if (!model.supportsLength(length)) {
                sink.accept(MetricsLine.failed("throughput", length, "unsupported",
                        spec.model().type() + " cannot run at L = " + length));
                continue;
            }
            BatchArrays batch = RandomTokens.batch(spec.seed(), p.batchSize(), length, p.vocab());
            long tokens = (long) p.batchSize() * length;
            if (!trainOff) {
                ModelGraph graph = model.graph(p.batchSize(), length);
                long[] counter = {stepNumber};
                String failure = time("throughput", length, tokens, () -> step.run(graph, batch, ++counter[0]));
                stepNumber = counter[0];
                trainOff = failure != null;
            }
            if (!prefillOff) {
                ModelGraph graph = model.graph(p.batchSize(), length);
                String failure = time("prefill", length, tokens, () -> graph.logits(batch.tokens()));
                prefillOff = failure != null;
            }
            model.clearGraphs();
        }
        decode(model);
    }

    /** Times one measurement at one length; returns a failure status, or null when it was measured. */
    private String time(String kind, int length, long tokens, Runnable work) {
        ProbeConfig p = spec.probe();
        long budget = (long) (p.timeBudgetSeconds() * 1e9);
        long start = nanoClock.getAsLong();
        double[] seconds = new double[p.repeats()];
        try {
            for (int i = 0; i < p.warmup() + p.repeats(); i++) {
                long t0 = nanoClock.getAsLong();
                work.run();
                long t1 = nanoClock.getAsLong();
                if (i >= p.warmup()) {
                    seconds[i - p.warmup()] = (t1 - t0) / 1e9;
                }
                if (t1 - start > budget && i < p.warmup() + p.repeats() - 1) {
                    String note = String.format(Locale.ROOT, "time budget of %.0f s exceeded at L = %d",
                            p.timeBudgetSeconds(), length);
                    sink.accept(MetricsLine.failed(kind, length, "timeout", note));
                    progress.accept(kind + ": " + note + "; longer lengths skipped");
                    return "timeout";
                }
            }
        } catch (OutOfMemoryError e) {
            String note = "out of memory at L = " + length;
            sink.accept(MetricsLine.failed(kind, length, "oom", note));
            progress.accept(kind + ": " + note + "; longer lengths skipped");
            return "oom";
        }
        Map<String, Double> measured = new LinkedHashMap<>(Timings.summary(seconds, ""));
        double median = measured.get("median_seconds");
        measured.put("tokens_per_second", tokens / median);
        Map<String, Double> values = Map.of("batch_size", (double) p.batchSize(), "tokens", (double) tokens);
        sink.accept(new MetricsLine(0, kind, length, values, measured));
        progress.accept(String.format(Locale.ROOT, "%s L=%d: %.0f tokens/s (median of %d, %.4f s)", kind, length,
                tokens / median, p.repeats(), median));
        return null;
    }

    /** Per-token decode latency at each context length, generating one sequence token by token. */
    private void decode(Backbone model) {
        ProbeConfig p = spec.probe();
        INDArray token = Nd4j.createFromArray(new int[]{0});
        Backbone.Generation warm = model.startGeneration(1);
        for (int i = 0; i < (p.warmup() + 1) * p.decodeTokens(); i++) {   // JIT warm-up, untimed
            model.step(warm, token);
        }
        Backbone.Generation generation = model.startGeneration(1);
        long budget = (long) (p.timeBudgetSeconds() * 1e9);
        for (int context : p.lengths()) {
            long start = nanoClock.getAsLong();
            try {
                // advance to the context length (these steps are not timed)
                while (generation.position() < context - p.decodeTokens()) {
                    model.step(generation, token);
                    if (nanoClock.getAsLong() - start > budget) {
                        timeout(context);
                        return;
                    }
                }
                double[] seconds = new double[p.decodeTokens()];
                for (int i = 0; i < p.decodeTokens(); i++) {
                    long t0 = nanoClock.getAsLong();
                    model.step(generation, token);
                    seconds[i] = (nanoClock.getAsLong() - t0) / 1e9;
                }
                if (nanoClock.getAsLong() - start > budget) {
                    timeout(context);
                    return;
                }
                Map<String, Double> measured = new LinkedHashMap<>(Timings.summary(seconds, ""));
                measured.put("tokens_per_second", 1.0 / measured.get("median_seconds"));
                Map<String, Double> values = Map.of(
                        "state_elements", (double) generation.elementsPerSequence(),
                        "state_bytes", (double) generation.elementsPerSequence() * Float.BYTES);
                sink.accept(new MetricsLine(0, "decode", context, values, measured));
                progress.accept(String.format(Locale.ROOT, "decode at context %d: %.3f ms/token", context,
                        measured.get("median_seconds") * 1e3));
            } catch (OutOfMemoryError e) {
                sink.accept(MetricsLine.failed("decode", context, "oom", "out of memory at context " + context));
                return;
            }
        }
    }

    private void timeout(int context) {
        String note = String.format(Locale.ROOT, "time budget of %.0f s exceeded reaching context %d",
                spec.probe().timeBudgetSeconds(), context);
        sink.accept(MetricsLine.failed("decode", context, "timeout", note));
        progress.accept("decode: " + note + "; longer contexts skipped");
    }
}
