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
 * The lengths run in a child JVM ({@link ThroughputPoint}), watched from here: a point whose process passes
 * {@code memory_limit_mb} (or is killed by the kernel) is recorded as out of memory, one that runs past the time
 * budget as a timeout, and longer lengths of that measurement are skipped; the other measurements go on in a new
 * child. A point is only recorded as failed when it was the first point of a fresh child (see
 * {@link #measureAll()}). (In one unwatched JVM, a transformer's training step at a length the machine cannot hold
 * took the whole run down with it.)
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
        Path specFile = workDir.resolve(SPEC_FILE);
        Files.writeString(specFile, SpecWriter.toYaml(spec), StandardCharsets.UTF_8);
        try {
            measureAll();
        } finally {
            Files.deleteIfExists(specFile);
        }
    }

    /**
     * Every point (length × measurement) still on. A child runs the points in order (by length, then training,
     * prefill, decode) until it ends. When it ends early, the point it was in failed; but a child that had already
     * measured other points is no longer fresh (the garbage of earlier lengths can push it over the memory limit),
     * so that point is first retried as the first point of a new child, and only a fresh child's failure is
     * recorded. A failed measurement is not tried at longer lengths (a training step that does not fit says
     * nothing about decoding at that context, so the other measurements go on).
     */
    private void measureAll() throws IOException, InterruptedException {
        ProbeConfig p = spec.probe();
        Set<String> off = new HashSet<>();        // measurements that failed: not tried at longer lengths
        Set<String> done = new HashSet<>();       // points measured or failed, as kind@length
        while (true) {
            List<String> todo = new ArrayList<>();
            List<Integer> lengths = new ArrayList<>();
            for (int length : p.lengths()) {
                for (String kind : ThroughputPoint.KINDS) {
                    if (!off.contains(kind) && !done.contains(ThroughputPoint.point(kind, length))) {
                        todo.add(ThroughputPoint.point(kind, length));
                        if (!lengths.contains(length)) {
                            lengths.add(length);
                        }
                    }
                }
            }
            if (todo.isEmpty()) {
                return;
            }
            List<String> skip = new ArrayList<>(off);
            skip.addAll(done);
            // the child has its own budget per measurement; this deadline only catches a hung child
            double timeout = (3 * p.timeBudgetSeconds() + 20) * lengths.size() + 40;
            ProbeChild.Result child = ProbeChild.run(pointClass, List.of(specFile(),
                    lengths.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")),
                    String.join(",", skip)), p.threads(), (long) p.memoryLimitMb() << 20, timeout);
            for (MetricsLine line : lines(child.output())) {
                done.add(ThroughputPoint.point(line.kind(), line.length()));
                record(line, off);
            }
            String failed = todo.stream().filter(t -> !done.contains(t) && !off.contains(kindOf(t))).findFirst()
                    .orElse(null);
            if (failed == null) {
                return;
            }
            boolean stopped = child.ending() != ProbeChild.Ending.FINISHED || child.killedForMemory();
            if (stopped && !failed.equals(todo.get(0))) {
                continue;     // not the child's first point: retry it first in a fresh child
            }
            String kind = kindOf(failed);
            int length = Integer.parseInt(failed.substring(failed.indexOf('@') + 1));
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
                // a plain error would repeat for every measurement: record it for all that are left
                String error = "the measurement at L = " + length + " failed (exit " + child.exitCode() + "): "
                        + child.lastLine();
                for (String t : todo) {
                    if (!done.contains(t) && !off.contains(kindOf(t))) {
                        record(MetricsLine.failed(kindOf(t), Integer.parseInt(t.substring(t.indexOf('@') + 1)),
                                "error", error), off);
                        done.add(t);
                    }
                }
                return;
            }
            record(MetricsLine.failed(kind, length, status, note), off);
            done.add(failed);
        }
    }

    private static String kindOf(String point) {
        return point.substring(0, point.indexOf('@'));
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
