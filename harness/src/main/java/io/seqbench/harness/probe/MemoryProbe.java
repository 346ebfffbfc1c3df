package io.seqbench.harness.probe;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqbench.harness.Mappers;
import io.seqbench.harness.spec.ProbeConfig;
import io.seqbench.harness.spec.ProbeSpec;
import io.seqbench.harness.spec.SpecWriter;
import io.seqbench.harness.store.MetricsLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Measures training memory against length: one fresh JVM per length ({@link MemoryPoint}) reports the peak
 * resident memory above its set-up baseline, the exact allocation traffic per step, and the analytic inference
 * state. A length whose child runs out of memory (its resident set passes {@code memory_limit_mb}, or the
 * kernel kills it) or over the time budget is recorded as that result ("OOM at L = …"), and the sweep goes on to the
 * next length.
 */
public final class MemoryProbe {
    private final ProbeSpec spec;
    private final Path workDir;
    private final Consumer<MetricsLine> sink;
    private final Consumer<String> progress;

    public MemoryProbe(ProbeSpec spec, Path workDir, Consumer<MetricsLine> sink, Consumer<String> progress) {
        this.spec = spec;
        this.workDir = workDir;
        this.sink = sink;
        this.progress = progress;
    }

    public void run() throws IOException, InterruptedException {
        ProbeConfig p = spec.probe();
        Path specFile = workDir.resolve("probe-spec.yaml");
        Files.writeString(specFile, SpecWriter.toYaml(spec), StandardCharsets.UTF_8);
        try {
            for (int length : p.lengths()) {
                sink.accept(point(specFile, length));
            }
        } finally {
            Files.deleteIfExists(specFile);
        }
    }

    private MetricsLine point(Path specFile, int length) throws IOException, InterruptedException {
        ProbeConfig p = spec.probe();
        ProbeChild.Result child = ProbeChild.run(MemoryPoint.class, List.of(specFile.toString(),
                Integer.toString(length)), p.threads(), (long) p.memoryLimitMb() << 20, p.timeBudgetSeconds());
        if (child.ending() == ProbeChild.Ending.OVER_MEMORY) {
            String note = String.format(Locale.ROOT, "out of memory at L = %d: the process passed the limit of %d MB"
                    + " (memory_limit_mb)", length, p.memoryLimitMb());
            progress.accept("memory: " + note);
            return MetricsLine.failed("memory", length, "oom", note);
        }
        if (child.ending() == ProbeChild.Ending.OVER_TIME) {
            String note = String.format(Locale.ROOT, "time budget of %.0f s exceeded at L = %d",
                    p.timeBudgetSeconds(), length);
            progress.accept("memory: " + note);
            return MetricsLine.failed("memory", length, "timeout", note);
        }
        JsonNode result = parse(child.output());
        if (result == null) {
            boolean killed = child.killedForMemory();
            String note = killed ? "out of memory at L = " + length + " (the process was killed)"
                    : "the measurement at L = " + length + " failed (exit " + child.exitCode() + "): "
                    + child.lastLine();
            progress.accept("memory: " + note);
            return MetricsLine.failed("memory", length, killed ? "oom" : "error", note);
        }
        if (!"ok".equals(result.path("status").asText())) {
            String note = result.path("note").asText("out of memory at L = " + length);
            progress.accept("memory: " + note);
            return MetricsLine.failed("memory", length, "oom", note);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (String key : new String[]{"allocated_bytes_per_step", "ops_per_step", "parameters", "state_elements"}) {
            values.put(key, result.path(key).asDouble());
        }
        values.put("state_bytes", result.path("state_elements").asDouble() * Float.BYTES);
        Map<String, Double> measured = new LinkedHashMap<>();
        for (String key : new String[]{"peak_minus_baseline_bytes", "baseline_rss_bytes", "peak_rss_bytes",
                "seconds"}) {
            measured.put(key, result.path(key).asDouble());
        }
        progress.accept(String.format(Locale.ROOT, "memory L=%d: peak %.1f MB above baseline, %.1f MB allocated"
                        + " per step", length, measured.get("peak_minus_baseline_bytes") / 1e6,
                values.get("allocated_bytes_per_step") / 1e6));
        return new MetricsLine(0, "memory", length, values, measured);
    }

    private static JsonNode parse(String output) throws IOException {
        for (String line : output.split("\n")) {
            if (line.startsWith(MemoryPoint.RESULT)) {
                return Mappers.JSON.readTree(line.substring(MemoryPoint.RESULT.length()));
            }
        }
        return null;
    }
}
