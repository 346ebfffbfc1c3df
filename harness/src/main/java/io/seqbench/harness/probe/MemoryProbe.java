package io.seqbench.harness.probe;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqbench.harness.Mappers;
import io.seqbench.harness.run.JvmCommand;
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
import java.util.concurrent.TimeUnit;
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
        List<String> command = JvmCommand.of(List.of("-Xmx2g", "-Dorg.nd4j.log.initialization=false",
                "-Djava.awt.headless=true"), MemoryPoint.class.getName(), List.of(specFile.toString(),
                Integer.toString(length)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(p.threads()));
        Process child = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                output.append(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.append("(output unreadable: ").append(e.getMessage()).append(')');
            }
        });
        reader.start();
        // ND4J's arrays are invisible to JavaCPP's memory limits on the CPU backend, so the limit is enforced
        // here: the child's resident set is polled and the child is stopped when it passes the limit.
        long limit = (long) p.memoryLimitMb() << 20;
        long deadline = System.nanoTime() + (long) (p.timeBudgetSeconds() * 1e9);
        boolean overLimit = false;
        long maxSeen = 0;
        while (child.isAlive() && System.nanoTime() < deadline) {
            long rss = residentBytes(child.pid());
            maxSeen = Math.max(maxSeen, rss);
            if (rss > limit) {
                overLimit = true;
                child.destroyForcibly();
                break;
            }
            child.waitFor(20, TimeUnit.MILLISECONDS);
        }
        if (overLimit) {
            child.waitFor();
            reader.join();
            String note = String.format(Locale.ROOT, "out of memory at L = %d: the process passed the limit of %d MB"
                    + " (memory_limit_mb)", length, p.memoryLimitMb());
            progress.accept("memory: " + note);
            return MetricsLine.failed("memory", length, "oom", note);
        }
        boolean finished = child.waitFor(0, TimeUnit.MILLISECONDS);
        if (!finished) {
            child.destroyForcibly();
            child.waitFor();
            reader.join();
            String note = String.format(Locale.ROOT, "time budget of %.0f s exceeded at L = %d",
                    p.timeBudgetSeconds(), length);
            progress.accept("memory: " + note);
            return MetricsLine.failed("memory", length, "timeout", note);
        }
        reader.join();
        JsonNode result = parse(output.toString());
        if (result == null) {
            boolean killed = child.exitValue() == 137 || output.indexOf("OutOfMemoryError") >= 0;
            String note = killed ? "out of memory at L = " + length + " (the process was killed)"
                    : "the measurement at L = " + length + " failed (exit " + child.exitValue() + "): "
                    + lastLine(output.toString());
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

    /** VmRSS of another process, in bytes; 0 when it cannot be read (the process has just ended). */
    static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static JsonNode parse(String output) throws IOException {
        for (String line : output.split("\n")) {
            if (line.startsWith(MemoryPoint.RESULT)) {
                return Mappers.JSON.readTree(line.substring(MemoryPoint.RESULT.length()));
            }
        }
        return null;
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }
}
