package io.seqbench.harness.probe;

import io.seqbench.harness.Mappers;
import io.seqbench.harness.spec.ProbeConfig;
import io.seqbench.harness.spec.ProbeSpec;
import io.seqbench.harness.spec.SpecWriter;
import io.seqbench.harness.store.MetricsLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Measures how fast a model runs as sequences grow, on random tokens:
 * <ul>
 *   <li>{@code throughput}: training tokens/s (forward + backward + AdamW update, the trainer's own step) at each
 *       length, batch {@code batch_size};</li>
 *   <li>{@code prefill}: inference tokens/s of the parallel forward at each length;</li>
 *   <li>{@code decode}: latency per generated token, batch 1, at context lengths equal to the lengths, using the
 *       recurrent {@code step} (a KV cache for attention, a constant state otherwise).</li>
 * </ul>
 * Each length runs in a fresh JVM ({@link ThroughputPoint}), watched from here: a length whose process passes
 * {@code memory_limit_mb} (or is killed by the kernel) is recorded as out of memory, one that runs past the time
 * budget as a timeout, and longer lengths of that measurement are skipped; the other measurements go on. (In one
 * JVM, a transformer's training step at a length the machine cannot hold took the whole run down with it.)
 * Each point runs {@code warmup} untimed and {@code repeats} timed repetitions; the median, min and max are
 * recorded.
 */
public final class ThroughputProbe {
    private final ProbeSpec spec;
    private final Path workDir;
    private final Consumer<MetricsLine> sink;
    private final Consumer<String> progress;
    private final Class<?> pointClass;

    public ThroughputProbe(ProbeSpec spec, Path workDir, Consumer<MetricsLine> sink, Consumer<String> progress) {
        this(spec, workDir, sink, progress, ThroughputPoint.class);
    }

    /** With another child main class speaking {@link ThroughputPoint}'s protocol (tests). */
    ThroughputProbe(ProbeSpec spec, Path workDir, Consumer<MetricsLine> sink, Consumer<String> progress,
                    Class<?> pointClass) {
        this.spec = spec;
        this.workDir = workDir;
        this.sink = sink;
        this.progress = progress;
        this.pointClass = pointClass;
    }

    public void run() throws IOException, InterruptedException {
        ProbeConfig p = spec.probe();
        Path specFile = workDir.resolve(SPEC_FILE);
        Files.writeString(specFile, SpecWriter.toYaml(spec), StandardCharsets.UTF_8);
        Set<String> off = new HashSet<>();
        try {
            for (int length : p.lengths()) {
                if (off.containsAll(ThroughputPoint.KINDS)) {
                    break;
                }
                measure(length, off);
            }
        } finally {
            Files.deleteIfExists(specFile);
        }
    }

    /**
     * All measurements at one length that are still on. Children run them in order (training, prefill, decode);
     * when a child is stopped or dies, the measurement it was in gets the failure and a new child runs the ones
     * after it (a training step that does not fit says nothing about decoding at that context).
     */
    private void measure(int length, Set<String> off) throws IOException, InterruptedException {
        ProbeConfig p = spec.probe();
        Set<String> done = new HashSet<>();
        while (true) {
            Set<String> skip = new HashSet<>(off);
            skip.addAll(done);
            if (skip.containsAll(ThroughputPoint.KINDS)) {
                return;
            }
            // the child has its own budget per measurement; this deadline only catches a hung child
            double timeout = 3 * p.timeBudgetSeconds() + 60;
            ProbeChild.Result child = ProbeChild.run(pointClass, List.of(specFile(),
                    Integer.toString(length), String.join(",", skip)), p.threads(), (long) p.memoryLimitMb() << 20,
                    timeout);
            for (MetricsLine line : lines(child.output())) {
                done.add(line.kind());
                record(line, off);
            }
            List<String> missing = new ArrayList<>();
            for (String kind : ThroughputPoint.KINDS) {
                if (!skip.contains(kind) && !done.contains(kind)) {
                    missing.add(kind);
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            String status;
            String note;
            if (child.ending() == ProbeChild.Ending.OVER_MEMORY) {
                status = "oom";
                note = String.format(Locale.ROOT, "out of memory at L = %d: the process passed the limit of %d MB"
                        + " (memory_limit_mb)", length, p.memoryLimitMb());
            } else if (child.killedForMemory()) {
                status = "oom";
                note = "out of memory at L = " + length + " (the process was killed)";
            } else if (child.ending() == ProbeChild.Ending.OVER_TIME) {
                status = "timeout";
                note = String.format(Locale.ROOT, "no result at L = %d within %.0f s", length, timeout);
            } else {
                // a plain error would repeat for every measurement: record it for all of them
                String error = "the measurement at L = " + length + " failed (exit " + child.exitCode() + "): "
                        + child.lastLine();
                for (String kind : missing) {
                    record(MetricsLine.failed(kind, length, "error", error), off);
                }
                return;
            }
            record(MetricsLine.failed(missing.get(0), length, status, note), off);
            done.add(missing.get(0));
        }
    }

    private String specFile() {
        return workDir.resolve(SPEC_FILE).toString();
    }

    private static final String SPEC_FILE = "probe-spec.yaml";

    /** Passes a line on, with a progress message; a failed measurement is not tried at longer lengths. */
    private void record(MetricsLine line, Set<String> off) {
        sink.accept(line);
        if (!line.ok()) {
            off.add(line.kind());
            progress.accept(line.kind() + ": " + line.note() + "; longer lengths skipped");
        } else if (line.kind().equals("decode")) {
            progress.accept(String.format(Locale.ROOT, "decode at context %d: %.3f ms/token", line.length(),
                    line.measured().get("median_seconds") * 1e3));
        } else {
            progress.accept(String.format(Locale.ROOT, "%s L=%d: %.0f tokens/s (median of %d, %.4f s)", line.kind(),
                    line.length(), line.measured().get("tokens_per_second"), spec.probe().repeats(),
                    line.measured().get("median_seconds")));
        }
    }

    private static List<MetricsLine> lines(String output) throws IOException {
        List<MetricsLine> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith(ThroughputPoint.LINE)) {
                lines.add(Mappers.JSON.readValue(line.substring(ThroughputPoint.LINE.length()), MetricsLine.class));
            }
        }
        return lines;
    }
}
