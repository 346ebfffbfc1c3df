package io.seqbench.harness.run;

import io.seqbench.harness.TestSpecs;
import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunInfo;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import io.seqbench.harness.store.RunStatus;
import io.seqbench.harness.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run killed with SIGKILL in the middle of training leaves records every reader can read, and resumes from its
 * last checkpoint to exactly the metrics of an uninterrupted run, with a wall time that leaves the pause out.
 */
class KillTest {
    @TempDir
    Path runs;

    private static final long PAUSE_MS = 1500;

    private static final String[] SPEC = {"train.steps=300", "train.checkpoint_every=10", "train.log_every=5",
            "eval.every=20"};

    /** The child process: trains the tiny run (until it is killed; under a supervisor, until that one dies). */
    public static void main(String[] args) throws Exception {
        Supervisor.watchParent();
        new Runner(Path.of(args[0]), System.out, false, Clock.systemUTC()).train(TestSpecs.tiny(SPEC));
    }

    @Test
    void sigkillMidTraining_leavesReadableRecords_andResumesToTheUninterruptedMetrics() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dopexec=io.seqbench.kernels.op.JavaOpExecutioner", "-Dorg.nd4j.log.initialization=false",
                KillTest.class.getName(), runs.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path dir;
        try {
            dir = awaitCheckpoints(runs, 2);
            assertTrue(child.isAlive(), "the child finished before it could be killed");
        } finally {
            child.destroyForcibly();    // SIGKILL on Linux: no shutdown hooks, no finally blocks
            child.waitFor(30, TimeUnit.SECONDS);
        }
        RunRecord record = RunRecords.load(dir);
        assertEquals(RunStatus.INTERRUPTED, record.status());
        assertTrue(record.problems().stream().allMatch(p -> p.contains("truncated")), record.problems().toString());
        assertTrue(record.env() != null && record.spec() != null && !record.metrics().isEmpty());
        long checkpointStep = Checkpoint.latest(dir.resolve("checkpoints")).orElseThrow().step();
        assertTrue(checkpointStep < 300);

        Thread.sleep(PAUSE_MS);  // the pause between death and resume, which wall_seconds must leave out
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Runner.Outcome resumed = new Runner(runs, quiet, false, Clock.systemUTC()).resume(dir);
        assertEquals(RunStatus.COMPLETED, resumed.status());
        RunInfo info = RunRecords.load(dir).info();
        double span = (info.endedAt().toEpochMilli() - info.startedAt().toEpochMilli()) / 1000.0;
        assertTrue(info.earlierSeconds() != null && info.earlierSeconds() > 0, "earlier_seconds " + info.earlierSeconds());
        assertTrue(info.wallSeconds() <= span - PAUSE_MS / 1000.0,
                "wall_seconds " + info.wallSeconds() + " should leave out the " + PAUSE_MS + " ms pause of a "
                        + span + " s span");
        Path reference = runs.resolve("reference");
        Runner.Outcome uninterrupted = new Runner(reference, quiet, false, Clock.systemUTC())
                .train(TestSpecs.tiny(SPEC));
        List<MetricsLine> a = RunRecords.load(dir).metrics();
        List<MetricsLine> b = RunRecords.load(uninterrupted.directory().path()).metrics();
        assertEquals(b.size(), a.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(b.get(i).step(), a.get(i).step());
            assertEquals(b.get(i).values(), a.get(i).values(), "metrics line " + (i + 1));
        }
        assertEquals(uninterrupted.summary().finalEval(), RunRecords.load(dir).summary().finalEval());
    }

    /** Waits (up to 120 s) for the one run under {@code runs} to have written {@code n} checkpoints; returns it. */
    static Path awaitCheckpoints(Path runs, int n) throws Exception {
        Path dir = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && (dir == null || checkpoints(dir) < n)) {
            dir = onlyRun(runs);
            Thread.sleep(20);
        }
        assertTrue(dir != null && checkpoints(dir) >= n, "the run never wrote " + n + " checkpoint(s)");
        return dir;
    }

    /** The one run directory under {@code runs} (the uninterrupted reference's folder left out), or null. */
    static Path onlyRun(Path runs) throws Exception {
        try (Stream<Path> s = Files.list(runs)) {
            List<Path> dirs = s.filter(Files::isDirectory).filter(p -> !p.endsWith("reference")).toList();
            return dirs.size() == 1 ? dirs.get(0) : null;
        }
    }

    /** Checkpoint files the run has written. */
    static long checkpoints(Path dir) throws Exception {
        File[] files = dir.resolve("checkpoints").toFile().listFiles((d, n) -> n.endsWith(".ckpt"));
        return files == null ? 0 : files.length;
    }
}
