package io.seqbench.harness.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunRecordsTest {
    @TempDir
    Path runs;

    private RunDirectory newRun() throws IOException {
        RunDirectory dir = RunDirectory.create(runs, "t", Instant.parse("2026-01-01T00:00:00Z"));
        dir.writeRun(RunInfo.started(dir.id(), "t", "train", Instant.parse("2026-01-01T00:00:00Z")));
        dir.writeSpec("name: t\n");
        return dir;
    }

    @Test
    void load_tornLastMetricsLine_skipsAndReportsIt() throws IOException {
        RunDirectory dir = newRun();
        dir.appendMetrics(new MetricsLine(10, MetricsLine.TRAIN, 8, Map.of("loss", 1.0), Map.of()));
        dir.appendMetrics(new MetricsLine(20, MetricsLine.TRAIN, 8, Map.of("loss", 0.5), Map.of()));
        dir.close();
        Files.writeString(dir.path().resolve(RunDirectory.METRICS), "{\"step\":30,\"kind\":\"tr",
                StandardOpenOption.APPEND);
        RunRecord record = RunRecords.load(dir.path());
        assertEquals(2, record.metrics().size());
        assertTrue(record.problems().stream().anyMatch(p -> p.contains("line 3 is truncated")),
                record.problems().toString());
    }

    @Test
    void load_corruptRunJson_reportsItInsteadOfThrowing() throws IOException {
        RunDirectory dir = newRun();
        Files.writeString(dir.path().resolve(RunDirectory.RUN), "{\"id\": \"x\", \"status\": ");
        RunRecord record = RunRecords.load(dir.path());
        assertNull(record.info());
        assertNull(record.status());
        assertTrue(record.problems().stream().anyMatch(p -> p.startsWith("run.json is corrupt")),
                record.problems().toString());
    }

    @Test
    void load_runningRunWhoseProcessIsGone_isInterrupted() throws IOException {
        RunDirectory dir = newRun();
        RunInfo dead = new RunInfo(dir.id(), "t", "train", RunStatus.RUNNING, Instant.now(), null, null, null,
                Long.MAX_VALUE / 2, Environment.localHostname());
        dir.writeRun(dead);
        assertEquals(RunStatus.INTERRUPTED, RunRecords.load(dir.path()).status());
        dir.writeRun(RunInfo.started(dir.id(), "t", "train", Instant.now()));   // this process: alive
        assertEquals(RunStatus.RUNNING, RunRecords.load(dir.path()).status());
    }

    @Test
    void create_manyRunsInTheSameSecond_getDistinctDirectories() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        var ids = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                for (int j = 0; j < 25; j++) {
                    try {
                        ids.add(RunDirectory.create(runs, "same", now).id());
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(200, ids.size());
    }
}
