package io.seqbench.harness.store;

import io.seqbench.harness.Mappers;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * The directory of one run, {@code runs/out/<run-id>/}, and the only writer of its files:
 * <pre>
 *   spec.yaml       the resolved spec (every default filled in)
 *   run.json        id, status, start/end, failure reason          (atomic replace)
 *   env.json        Java, ND4J, backend, threads, CPU, memory, git  (atomic replace)
 *   metrics.jsonl   one JSON line per logged step                   (append; a torn last line is skipped by readers)
 *   summary.json    final results                                   (atomic replace)
 *   stdout.log      what the run printed
 *   checkpoints/    model and optimizer state                       (atomic replace)
 * </pre>
 * Run ids are {@code yyyyMMdd-HHmmss-<name>-<8 random hex>}, and the directory is created with an atomic
 * {@code mkdir}, so runs started in the same second by parallel processes never share a directory.
 */
public final class RunDirectory implements AutoCloseable {
    public static final String SPEC = "spec.yaml";
    public static final String RUN = "run.json";
    public static final String ENV = "env.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String SUMMARY = "summary.json";
    public static final String STDOUT = "stdout.log";
    public static final String CHECKPOINTS = "checkpoints";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path path;
    private final String id;
    private BufferedWriter metrics;
    private BufferedWriter log;

    private RunDirectory(Path path) {
        this.path = path;
        this.id = path.getFileName().toString();
    }

    /** Creates a new, empty run directory under {@code root}. */
    public static RunDirectory create(Path root, String name, Instant now) throws IOException {
        Files.createDirectories(root);
        for (int attempt = 0; attempt < 16; attempt++) {
            byte[] suffix = new byte[4];
            RANDOM.nextBytes(suffix);
            String id = STAMP.format(now) + "-" + name + "-" + HexFormat.of().formatHex(suffix);
            try {
                return new RunDirectory(Files.createDirectory(root.resolve(id)));
            } catch (FileAlreadyExistsException e) {
                // another process took this id in the same second: draw another suffix
            }
        }
        throw new IOException("could not create a unique run directory under " + root);
    }

    /** Opens an existing run directory (for resuming). */
    public static RunDirectory open(Path path) {
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("not a run directory: " + path);
        }
        return new RunDirectory(path);
    }

    public Path path() {
        return path;
    }

    public String id() {
        return id;
    }

    public Path checkpoints() {
        return path.resolve(CHECKPOINTS);
    }

    /**
     * When a process last wrote to this run's files (metrics, log, checkpoints, summary), as their latest
     * modification time; run.json is left out, since a suite writes it after its worker died. The directory's own
     * creation time when nothing else was written.
     */
    public Instant lastWrite() throws IOException {
        Instant latest = Files.getLastModifiedTime(path).toInstant();
        try (java.util.stream.Stream<Path> files = Files.walk(path)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().equals(RUN)) {
                    Instant t = Files.getLastModifiedTime(f).toInstant();
                    if (t.isAfter(latest)) {
                        latest = t;
                    }
                }
            }
        }
        return latest;
    }

    public void writeSpec(String resolvedYaml) throws IOException {
        AtomicFiles.write(path.resolve(SPEC), resolvedYaml);
    }

    public void writeRun(RunInfo info) throws IOException {
        writeJson(RUN, info);
    }

    public void writeEnvironment(Environment env) throws IOException {
        writeJson(ENV, env);
    }

    public void writeSummary(Summary summary) throws IOException {
        writeJson(SUMMARY, summary);
    }

    /** Appends one line to metrics.jsonl and flushes it. */
    public synchronized void appendMetrics(MetricsLine line) throws IOException {
        if (metrics == null) {
            metrics = Files.newBufferedWriter(path.resolve(METRICS), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        // one write per line, so a kill can tear at most the last line
        metrics.write(jsonLine(line));
        metrics.flush();
    }

    /**
     * Keeps only the metrics lines of steps ≤ {@code step} (and drops length-generalization lines, which belong
     * to the end of a run and torn lines), rewriting metrics.jsonl atomically. Used before resuming.
     *
     * @return the lines kept
     */
    public synchronized java.util.List<MetricsLine> truncateMetricsAfter(long step) throws IOException {
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        java.util.List<MetricsLine> kept = new java.util.ArrayList<>();
        for (MetricsLine m : RunRecords.readMetrics(path.resolve(METRICS), new java.util.ArrayList<>())) {
            if (m.step() <= step && !MetricsLine.EVAL_LENGTH.equals(m.kind())) {
                kept.add(m);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (MetricsLine m : kept) {
            sb.append(jsonLine(m));
        }
        AtomicFiles.write(path.resolve(METRICS), sb.toString());
        return kept;
    }

    private static String jsonLine(MetricsLine line) throws IOException {
        return Mappers.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(line) + "\n";
    }

    /** Appends a line to stdout.log. */
    public synchronized void log(String line) {
        try {
            if (log == null) {
                log = Files.newBufferedWriter(path.resolve(STDOUT), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            log.write(line);
            log.newLine();
            log.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path.resolve(STDOUT), e);
        }
    }

    private void writeJson(String file, Object value) throws IOException {
        AtomicFiles.write(path.resolve(file), Mappers.JSON.writeValueAsString(value) + "\n");
    }

    @Override
    public synchronized void close() throws IOException {
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        if (log != null) {
            log.close();
            log = null;
        }
    }
}
