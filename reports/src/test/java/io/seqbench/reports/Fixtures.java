package io.seqbench.reports;

import io.seqbench.harness.store.Environment;
import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunDirectory;
import io.seqbench.harness.store.RunInfo;
import io.seqbench.harness.store.RunStatus;
import io.seqbench.harness.store.Summary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small run records written through the harness's own writers ({@link RunDirectory}, {@link RunInfo},
 * {@link Summary}), so the report reads exactly what real runs leave behind. Values are made up but
 * plausible; each test states the ones it checks.
 */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Environment ENV = new Environment("17.0.15", "OpenJDK 64-Bit Server VM (Debian)", "1.0.0-M2.1",
            "org.nd4j.linalg.cpu.nativecpu.CpuBackend", "io.seqbench.kernels.op.JavaOpExecutioner", 1,
            "Test CPU", 2, 2, 8L << 30, 2L << 30, "GNU/Linux Debian 12", "testhost", "0123456789abcdef0123", false);
    /** A pid no process has (Linux pids are below 2^22): a RUNNING run with it reads as interrupted. */
    static final long DEAD_PID = 999_999_999L;

    private Fixtures() {
    }

    /** How a fixture training run ends. */
    enum End { COMPLETED, FAILED, INTERRUPTED }

    /**
     * A training run.
     *
     * @param model    the model section's extra settings, e.g. "d_model: 16" (one per line, YAML)
     * @param accuracy held-out accuracy at steps 10, 20, ... (fractions); the last is the final one
     * @param lengths  length generalization results (length → accuracy; NaN: unsupported)
     */
    static Path training(Path runs, String name, String type, String model, String task, long seed, End end,
                         double[] accuracy, Map<Integer, Double> lengths) throws IOException {
        RunDirectory dir = RunDirectory.create(runs, name, T0);
        dir.writeSpec("name: " + name + "\nseed: " + seed + "\nmodel:\n  type: " + type + "\n"
                + indent(model) + "task:\n  type: " + task + "\n  length: 32\n"
                + "train:\n  steps: " + 10 * accuracy.length + "\n  batch_size: 8\n  learning_rate: 0.003\n"
                + "eval:\n  every: 10\n  lengths: " + lengths.keySet() + "\n");
        dir.writeEnvironment(ENV);
        RunInfo info = RunInfo.started(dir.id(), name, "train", T0);
        int done = end == End.COMPLETED ? accuracy.length : accuracy.length / 2;
        for (int i = 0; i < done; i++) {
            long step = 10L * (i + 1);
            dir.appendMetrics(new MetricsLine(step, MetricsLine.TRAIN, 32, Map.of("loss", 2.0 - accuracy[i],
                    "accuracy", accuracy[i]), Map.of("seconds", 1.0, "tokens_per_second", 256.0)));
            dir.appendMetrics(new MetricsLine(step, MetricsLine.EVAL, 32, Map.of("loss", 2.0 - accuracy[i],
                    "accuracy", accuracy[i]), Map.of("seconds", 0.1)));
        }
        switch (end) {
            case COMPLETED -> {
                double last = accuracy[accuracy.length - 1];
                List<Summary.LengthResult> results = new ArrayList<>();
                lengths.forEach((len, acc) -> {
                    if (acc.isNaN()) {
                        results.add(new Summary.LengthResult(len, false, Map.of()));
                    } else {
                        results.add(new Summary.LengthResult(len, true, Map.of("accuracy", acc)));
                    }
                });
                for (Summary.LengthResult l : results) {
                    if (l.supported()) {
                        dir.appendMetrics(new MetricsLine(10L * accuracy.length, MetricsLine.EVAL_LENGTH, l.length(),
                                l.values(), Map.of()));
                    }
                }
                dir.writeSummary(new Summary("accuracy", 10L * accuracy.length, 1000 + 10L * name.length(),
                        Map.of("accuracy", last, "loss", 2.0 - last), Map.of("accuracy", last, "step", 10.0),
                        results, stateSize(type), Map.of("chance_accuracy", 0.125), 256.0));
                dir.writeRun(info.completed(T0.plusSeconds(30)));
            }
            case FAILED -> dir.writeRun(info.failed(T0.plusSeconds(5), 10L * done,
                    "the training loss became NaN at step " + 10 * done));
            case INTERRUPTED -> dir.writeRun(new RunInfo(info.id(), name, "train", RunStatus.RUNNING, T0, null, null,
                    null, DEAD_PID, Environment.localHostname()));
        }
        dir.close();
        return dir.path();
    }

    /** A language-modelling run (bits per character), completed. */
    static Path languageModel(Path runs, String name, String type, double[] bpc) throws IOException {
        RunDirectory dir = RunDirectory.create(runs, name, T0);
        dir.writeSpec("name: " + name + "\nseed: 1\nmodel:\n  type: " + type + "\ntask:\n  type: char_lm\n"
                + "train:\n  steps: " + 10 * bpc.length + "\n");
        dir.writeEnvironment(ENV);
        for (int i = 0; i < bpc.length; i++) {
            dir.appendMetrics(new MetricsLine(10L * (i + 1), MetricsLine.EVAL, 64,
                    Map.of("bits_per_character", bpc[i], "loss", bpc[i] * Math.log(2)), Map.of()));
        }
        double last = bpc[bpc.length - 1];
        dir.writeSummary(new Summary("bits_per_character", 10L * bpc.length, 5000, Map.of("bits_per_character", last),
                Map.of("bits_per_character", last, "step", 10.0), List.of(), stateSize(type),
                Map.of("optimal_bpc", 2.0), 1000.0));
        dir.writeRun(RunInfo.started(dir.id(), name, "train", T0).completed(T0.plusSeconds(20)));
        dir.close();
        return dir.path();
    }

    /**
     * A throughput probe: training, prefill and decode at {@code lengths}; lengths at or beyond {@code oomFrom}
     * are recorded as out of memory. Step time grows as L^exponent.
     */
    static Path throughput(Path runs, String name, String type, int[] lengths, int oomFrom, double exponent)
            throws IOException {
        RunDirectory dir = RunDirectory.create(runs, name, T0);
        dir.writeSpec("kind: throughput\nname: " + name + "\nseed: 1\nmodel:\n  type: " + type
                + "\nprobe:\n  lengths: " + java.util.Arrays.toString(lengths) + "\n  batch_size: 4\n  vocab: 16\n");
        dir.writeEnvironment(ENV);
        for (String kind : new String[]{"throughput", "prefill", "decode"}) {
            for (int l : lengths) {
                if (l >= oomFrom) {
                    dir.appendMetrics(MetricsLine.failed(kind, l, "oom", "out of memory at L = " + l));
                    continue;
                }
                double seconds = 0.01 * Math.pow(l / 64.0, exponent) * (kind.equals("prefill") ? 0.3 : 1);
                if (kind.equals("decode")) {
                    double perToken = 0.001 * Math.pow(l / 64.0, exponent - 1);
                    dir.appendMetrics(new MetricsLine(0, kind, l, Map.of("state_elements", state(type, l),
                            "state_bytes", 4 * state(type, l)), timing(perToken, 1)));
                } else {
                    dir.appendMetrics(new MetricsLine(0, kind, l, Map.of("batch_size", 4.0, "tokens", 4.0 * l),
                            timing(seconds, 4.0 * l)));
                }
            }
        }
        dir.writeRun(RunInfo.started(dir.id(), name, "throughput", T0).completed(T0.plusSeconds(10)));
        dir.close();
        return dir.path();
    }

    /** A memory probe: peak RSS grows as L^exponent; lengths at or beyond {@code oomFrom} ran out of memory. */
    static Path memory(Path runs, String name, String type, int[] lengths, int oomFrom, double exponent)
            throws IOException {
        RunDirectory dir = RunDirectory.create(runs, name, T0);
        dir.writeSpec("kind: memory\nname: " + name + "\nseed: 1\nmodel:\n  type: " + type
                + "\nprobe:\n  lengths: " + java.util.Arrays.toString(lengths) + "\n  batch_size: 4\n  vocab: 16\n");
        dir.writeEnvironment(ENV);
        for (int l : lengths) {
            if (l >= oomFrom) {
                dir.appendMetrics(MetricsLine.failed("memory", l, "oom", "out of memory at L = " + l));
                continue;
            }
            double bytes = 4e6 * Math.pow(l / 64.0, exponent);
            dir.appendMetrics(new MetricsLine(0, "memory", l, Map.of("allocated_bytes_per_step", bytes / 2,
                    "parameters", 20000.0, "state_elements", state(type, l), "state_bytes", 4 * state(type, l)),
                    Map.of("peak_minus_baseline_bytes", bytes, "baseline_rss_bytes", 1e8, "peak_rss_bytes", 1e8 + bytes,
                            "seconds", 3.0)));
        }
        dir.writeRun(RunInfo.started(dir.id(), name, "memory", T0).completed(T0.plusSeconds(10)));
        dir.close();
        return dir.path();
    }

    /** State per sequence: fixed for recurrent models, a KV cache growing with L for transformers. */
    static double state(String type, int length) {
        return type.equals("transformer") ? 2.0 * 2 * 16 * length : 256;
    }

    private static Map<String, Long> stateSize(String type) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("1024", (long) state(type, 1024));
        m.put("16384", (long) state(type, 16384));
        return m;
    }

    private static Map<String, Double> timing(double median, double tokens) {
        return Map.of("median_seconds", median, "min_seconds", median * 0.9, "max_seconds", median * 1.2,
                "repeats", 5.0, "tokens_per_second", tokens / median);
    }

    private static String indent(String model) {
        if (model.isBlank()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String line : model.split("\n")) {
            out.append("  ").append(line).append('\n');
        }
        return out.toString();
    }

    /** A folder with one of every kind of record: seeds, variants, failures, interruptions, OOM points, benchmarks. */
    static void fullSet(Path runs, Path benchmarks) throws IOException {
        Map<Integer, Double> lengths = new LinkedHashMap<>();
        lengths.put(64, 0.8);
        lengths.put(128, 0.5);
        for (long seed = 1; seed <= 3; seed++) {
            training(runs, "lstm-copying-seed" + seed, "lstm", "d_model: 16", "copying", seed, End.COMPLETED,
                    new double[]{0.2, 0.5, 0.8 + 0.05 * seed}, lengths);
        }
        Map<Integer, Double> learned = new LinkedHashMap<>();
        learned.put(64, Double.NaN);
        learned.put(128, Double.NaN);
        training(runs, "transformer-copying", "transformer", "positions: learned", "copying", 1, End.COMPLETED,
                new double[]{0.3, 0.7, 0.99}, learned);
        training(runs, "transformer-rope-copying", "transformer", "positions: rope", "copying", 1, End.COMPLETED,
                new double[]{0.3, 0.6, 0.95}, lengths);
        training(runs, "mamba-copying", "mamba", "", "copying", 1, End.FAILED, new double[]{0.2, 0.4, 0.6, 0.9},
                Map.of());
        training(runs, "s4-copying", "s4", "", "copying", 1, End.INTERRUPTED, new double[]{0.2, 0.3, 0.4, 0.5},
                Map.of());
        languageModel(runs, "lstm-lm", "lstm", new double[]{4.0, 3.0, 2.5});
        languageModel(runs, "mamba-lm", "mamba", new double[]{4.0, 2.8, 2.2});
        int[] ls = {64, 128, 256, 512};
        throughput(runs, "lstm-throughput", "lstm", ls, Integer.MAX_VALUE, 1);
        throughput(runs, "transformer-throughput", "transformer", ls, 512, 2);
        memory(runs, "lstm-memory", "lstm", ls, Integer.MAX_VALUE, 1);
        memory(runs, "transformer-memory", "transformer", ls, 256, 2);
        Files.createDirectories(runs.resolve("20260101-000000-broken-deadbeef"));
        Files.writeString(runs.resolve("20260101-000000-broken-deadbeef").resolve(RunDirectory.RUN), "{\"id\":");
        if (benchmarks != null) {
            Files.createDirectories(benchmarks);
            Files.writeString(benchmarks.resolve("scan-cpu-jmh.json"), jmhJson());
        }
    }

    /** JMH results of two implementations at three lengths, in JMH's own JSON layout. */
    static String jmhJson() {
        StringBuilder json = new StringBuilder("[");
        String[] impls = {"reference", "fused"};
        int[] lengths = {256, 1024, 4096};
        boolean first = true;
        for (String impl : impls) {
            for (int l : lengths) {
                double us = (impl.equals("fused") ? 0.2 : 1.5) * l;
                json.append(first ? "" : ",").append("""
                        {"jmhVersion":"1.37","benchmark":"io.seqbench.benchmarks.ScanBenchmark.forward","mode":"avgt",
                         "threads":1,"forks":1,
                         "params":{"impl":"%s","length":"%d","batch":"2","channels":"64","state":"16"},
                         "primaryMetric":{"score":%s,"scoreError":%s,"scoreConfidence":[%s,%s],
                           "scorePercentiles":{"50.0":%s},"scoreUnit":"us/op","rawData":[[%s]]},
                         "secondaryMetrics":{}}
                        """.formatted(impl, l, us, us * 0.05, us * 0.95, us * 1.05, us, us));
                first = false;
            }
        }
        return json.append("]").toString();
    }
}
