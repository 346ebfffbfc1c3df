package io.seqbench.harness.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.seqbench.harness.Mappers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads run directories back into {@link RunRecord}s, tolerating damaged and unfinished runs. */
public final class RunRecords {
    private RunRecords() {
    }

    /**
     * Every run directory directly under {@code root}, sorted by id (oldest first).
     *
     * @throws IOException if {@code root} itself cannot be listed
     */
    public static List<RunRecord> loadAll(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "no runs directory");
        }
        List<RunRecord> records = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                if (Files.isDirectory(dir) && !dir.getFileName().toString().startsWith(".")) {
                    records.add(load(dir));
                }
            }
        }
        return records;
    }

    /** Reads one run directory. Never throws for a damaged run; see {@link RunRecord#problems()}. */
    public static RunRecord load(Path dir) {
        List<String> problems = new ArrayList<>();
        RunInfo info = readJson(dir.resolve(RunDirectory.RUN), RunInfo.class, problems, true);
        Environment env = readJson(dir.resolve(RunDirectory.ENV), Environment.class, problems, true);
        Summary summary = readJson(dir.resolve(RunDirectory.SUMMARY), Summary.class, problems, false);
        String specYaml = null;
        JsonNode spec = null;
        try {
            specYaml = Files.readString(dir.resolve(RunDirectory.SPEC), StandardCharsets.UTF_8);
            spec = Mappers.YAML.readTree(specYaml);
        } catch (NoSuchFileException e) {
            problems.add(RunDirectory.SPEC + " is missing");
        } catch (IOException e) {
            problems.add(RunDirectory.SPEC + " is unreadable: " + firstLine(e.getMessage()));
        }
        List<MetricsLine> metrics = readMetrics(dir.resolve(RunDirectory.METRICS), problems);
        RunStatus status = info == null ? null : effectiveStatus(info);
        if (summary == null && status == RunStatus.COMPLETED && "train".equals(info.kind())) {
            problems.add(RunDirectory.SUMMARY + " is missing although the run completed");
        }
        return new RunRecord(dir, info, status, specYaml, spec, env, summary, List.copyOf(metrics),
                List.copyOf(problems));
    }

    /**
     * Writes into a run whose process died without finishing ({@link RunStatus#INTERRUPTED}, no reason recorded)
     * why it died, at its last logged step; the status on disk stays RUNNING (read as interrupted) so that it can be
     * resumed. Returns false, writing nothing, for a run that is not in that state.
     */
    public static boolean noteInterruption(Path dir, String reason) throws IOException {
        return noteReason(load(dir), RunStatus.INTERRUPTED, dir, reason);
    }

    /**
     * Called by a run's own process just before it ends without finishing (its supervisor died): writes why into
     * {@code run.json}. The file's status stays {@code running}, which reads as interrupted once the process is
     * gone. Returns false, writing nothing, when the run has already ended or has a reason.
     */
    public static boolean noteOwnInterruption(Path dir, String reason) throws IOException {
        return noteReason(load(dir), RunStatus.RUNNING, dir, reason);
    }

    private static boolean noteReason(RunRecord r, RunStatus expected, Path dir, String reason) throws IOException {
        if (r.status() != expected || r.info() == null || r.info().failure() != null) {
            return false;
        }
        long step = r.metrics().isEmpty() ? 0 : r.metrics().get(r.metrics().size() - 1).step();
        RunDirectory.open(dir).writeRun(r.info().interruptedBecause(step, reason));
        return true;
    }

    /** RUNNING in the file, but its process is gone from this host: the run was interrupted. */
    static RunStatus effectiveStatus(RunInfo info) {
        if (info.status() != RunStatus.RUNNING) {
            return info.status();
        }
        boolean sameHost = Environment.localHostname().equals(info.host());
        boolean alive = ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false);
        return sameHost && !alive ? RunStatus.INTERRUPTED : RunStatus.RUNNING;
    }

    /** Reads metrics.jsonl, skipping (and reporting) lines that are torn or unparsable. */
    public static List<MetricsLine> readMetrics(Path file, List<String> problems) {
        List<MetricsLine> lines = new ArrayList<>();
        List<String> raw;
        try {
            raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return lines;
        } catch (IOException e) {
            problems.add(RunDirectory.METRICS + " is unreadable: " + firstLine(e.getMessage()));
            return lines;
        }
        for (int i = 0; i < raw.size(); i++) {
            String line = raw.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                lines.add(Mappers.JSON.readValue(line, MetricsLine.class));
            } catch (JsonProcessingException e) {
                problems.add(RunDirectory.METRICS + " line " + (i + 1) + " is "
                        + (i == raw.size() - 1 ? "truncated (the run was cut off while writing it)" : "unparsable")
                        + " and was skipped");
            }
        }
        return lines;
    }

    private static <T> T readJson(Path file, Class<T> type, List<String> problems, boolean required) {
        try {
            return Mappers.JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), type);
        } catch (NoSuchFileException e) {
            if (required) {
                problems.add(file.getFileName() + " is missing");
            }
        } catch (JsonProcessingException e) {
            problems.add(file.getFileName() + " is corrupt: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            problems.add(file.getFileName() + " is unreadable: " + firstLine(e.getMessage()));
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
