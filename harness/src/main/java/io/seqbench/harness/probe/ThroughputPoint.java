package io.seqbench.harness.probe;

import io.seqbench.architectures.Backbone;
import io.seqbench.architectures.ModelGraph;
import io.seqbench.harness.Mappers;
import io.seqbench.harness.spec.ProbeConfig;
import io.seqbench.harness.spec.ProbeSpec;
import io.seqbench.harness.spec.SpecReader;
import io.seqbench.harness.spec.TrainConfig;
import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.train.BatchArrays;
import io.seqbench.harness.train.Threads;
import io.seqbench.harness.train.TrainStep;
import io.seqbench.kernels.op.JavaOps;
import io.seqbench.tasks.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The throughput measurements at one length, run in a child JVM by {@link ThroughputProbe}: training tokens/s,
 * prefill tokens/s and the decode latency per token at that context length (see {@link ThroughputProbe} for what
 * each means). Each measurement runs {@code warmup} untimed and {@code repeats} timed repetitions; garbage is
 * collected between repetitions, outside the timed region, so that ND4J's off-heap arrays of one repetition (freed
 * only when their Java wrappers are collected) neither pile up nor get collected inside the next one's timing.
 *
 * <p>Usage: {@code ThroughputPoint <probe-spec.yaml> <lengths, comma-separated> [skipped, comma-separated: a kind,
 * or kind@length]}; measures the lengths in order in this JVM and prints one line {@code SEQBENCH-PROBE-LINE {json}}
 * per measurement: a {@link MetricsLine}, normal or failed (timeout, oom).
 */
public final class ThroughputPoint {
    static final String LINE = "SEQBENCH-PROBE-LINE ";
    static final List<String> KINDS = List.of("throughput", "prefill", "decode");

    private final ProbeSpec spec;
    private final int length;
    private final Consumer<MetricsLine> sink;
    private final LongSupplier nanoClock;

    ThroughputPoint(ProbeSpec spec, int length, Consumer<MetricsLine> sink, LongSupplier nanoClock) {
        this.spec = spec;
        this.length = length;
        this.sink = sink;
        this.nanoClock = nanoClock;
    }

    public static void main(String[] args) throws Exception {
        JavaOps.install();
        ProbeSpec spec = (ProbeSpec) SpecReader.parseAny(Files.readString(Path.of(args[0])), List.of(), args[0]);
        Set<String> skipped = args.length > 2 && !args[2].isEmpty() ? Set.of(args[2].split(",")) : Set.of();
        var writer = Mappers.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        Set<String> failed = new java.util.HashSet<>();   // as in the parent: a failed kind is off at longer lengths
        Consumer<MetricsLine> print = line -> {
            if (!line.ok()) {
                failed.add(line.kind());
            }
            try {
                System.out.println(LINE + writer.writeValueAsString(line));
                System.out.flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        for (String l : args[1].split(",")) {
            int length = Integer.parseInt(l);
            Set<String> here = new java.util.HashSet<>();
            for (String kind : KINDS) {
                if (skipped.contains(kind) || skipped.contains(point(kind, length)) || failed.contains(kind)) {
                    here.add(kind);
                }
            }
            new ThroughputPoint(spec, length, print, System::nanoTime).measure(here);
            collectGarbage();
        }
        System.exit(0);
    }

    /** How a child's arguments name one measurement to skip: {@code kind@length} (a bare kind skips it everywhere). */
    static String point(String kind, int length) {
        return kind + "@" + length;
    }

    /** Runs every measurement not in {@code skipped} at this length. */
    void measure(Set<String> skipped) {
        ProbeConfig p = spec.probe();
        Threads.pin(p.threads());
        Backbone model = new Backbone(spec.model(), p.vocab(), length, Seeds.mix(spec.seed(), 1), DataType.FLOAT);
        if (!model.supportsLength(length)) {
            for (String kind : KINDS) {
                sink.accept(MetricsLine.failed(kind, length, "unsupported",
                        spec.model().type() + " cannot run at L = " + length));
            }
            return;
        }
        BatchArrays batch = RandomTokens.batch(spec.seed(), p.batchSize(), length, p.vocab());
        long tokens = (long) p.batchSize() * length;
        if (!skipped.contains("throughput")) {
            TrainStep step = new TrainStep(model.parameters().all(), TrainConfig.DEFAULTS);
            ModelGraph graph = model.graph(p.batchSize(), length);
            long[] counter = {0};
            time("throughput", tokens, () -> step.run(graph, batch, ++counter[0]));
        }
        if (!skipped.contains("prefill")) {
            ModelGraph graph = model.graph(p.batchSize(), length);
            time("prefill", tokens, () -> graph.logits(batch.tokens()));
        }
        model.clearGraphs();
        collectGarbage();
        if (!skipped.contains("decode")) {
            decode(model);
        }
    }

    /** Times one measurement; records it, or its failure. */
    private void time(String kind, long tokens, Runnable work) {
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
                    sink.accept(MetricsLine.failed(kind, length, "timeout", String.format(Locale.ROOT,
                            "time budget of %.0f s exceeded at L = %d", p.timeBudgetSeconds(), length)));
                    return;
                }
                collectGarbage();
            }
        } catch (OutOfMemoryError e) {
            sink.accept(MetricsLine.failed(kind, length, "oom", "out of memory at L = " + length));
            return;
        }
        Map<String, Double> measured = new LinkedHashMap<>(Timings.summary(seconds, ""));
        measured.put("tokens_per_second", tokens / measured.get("median_seconds"));
        Map<String, Double> values = Map.of("batch_size", (double) p.batchSize(), "tokens", (double) tokens);
        sink.accept(new MetricsLine(0, kind, length, values, measured));
    }

    /** Per-token decode latency after a context of this length, generating one sequence token by token. */
    private void decode(Backbone model) {
        ProbeConfig p = spec.probe();
        INDArray token = Nd4j.createFromArray(new int[]{0});
        long budget = (long) (p.timeBudgetSeconds() * 1e9);
        long start = nanoClock.getAsLong();
        try {
            Backbone.Generation warm = model.startGeneration(1);
            for (int i = 0; i < Math.min(length, (p.warmup() + 1) * p.decodeTokens()); i++) {   // JIT warm-up
                model.step(warm, token);
            }
            Backbone.Generation generation = model.startGeneration(1);
            while (generation.position() < length - p.decodeTokens()) {   // advance to the context, untimed
                model.step(generation, token);
                if (nanoClock.getAsLong() - start > budget) {
                    timeout();
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
                timeout();
                return;
            }
            Map<String, Double> measured = new LinkedHashMap<>(Timings.summary(seconds, ""));
            measured.put("tokens_per_second", 1.0 / measured.get("median_seconds"));
            Map<String, Double> values = Map.of(
                    "state_elements", (double) generation.elementsPerSequence(),
                    "state_bytes", (double) generation.elementsPerSequence() * Float.BYTES);
            sink.accept(new MetricsLine(0, "decode", length, values, measured));
        } catch (OutOfMemoryError e) {
            sink.accept(MetricsLine.failed("decode", length, "oom", "out of memory at context " + length));
        }
    }

    private void timeout() {
        sink.accept(MetricsLine.failed("decode", length, "timeout", String.format(Locale.ROOT,
                "time budget of %.0f s exceeded reaching context %d", spec.probe().timeBudgetSeconds(), length)));
    }

    private static void collectGarbage() {
        System.gc();
    }
}
