package io.seqbench.harness.run;

import io.seqbench.harness.TestSpecs;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import io.seqbench.harness.store.RunStatus;
import io.seqbench.harness.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run killed with SIGKILL in the middle of training leaves records every reader can read. */
class KillTest {
    @TempDir
    Path runs;

    /** The child process: trains a long tiny run until it is killed. */
    public static void main(String[] args) throws Exception {
        new Runner(Path.of(args[0]), System.out, false, Clock.systemUTC())
                .train(TestSpecs.tiny("train.steps=100000", "train.checkpoint_every=5", "train.log_every=5"));
    }

    @Test
    void sigkillMidTraining_leavesReadableRecords() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dopexec=io.seqbench.kernels.op.JavaOpExecutioner", "-Dorg.nd4j.log.initialization=false",
                KillTest.class.getName(), runs.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path dir = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                dir = onlyRun();
                if (dir != null && checkpoints(dir) >= 2) {
                    break;
                }
                Thread.sleep(50);
            }
            assertTrue(dir != null && checkpoints(dir) >= 2, "the child run never wrote two checkpoints");
        } finally {
            child.destroyForcibly();    // SIGKILL on Linux: no shutdown hooks, no finally blocks
            child.waitFor(30, TimeUnit.SECONDS);
        }
        RunRecord record = RunRecords.load(dir);
        assertEquals(RunStatus.INTERRUPTED, record.status());
        assertTrue(record.problems().stream().allMatch(p -> p.contains("truncated")), record.problems().toString());
        assertTrue(record.env() != null && record.spec() != null && !record.metrics().isEmpty());
        assertTrue(Checkpoint.latest(dir.resolve("checkpoints")).isPresent(), "a checkpoint must be readable");
    }

    private Path onlyRun() throws Exception {
        try (Stream<Path> s = Files.list(runs)) {
            List<Path> dirs = s.filter(Files::isDirectory).toList();
            return dirs.size() == 1 ? dirs.get(0) : null;
        }
    }

    private static long checkpoints(Path dir) throws Exception {
        File[] files = dir.resolve("checkpoints").toFile().listFiles((d, n) -> n.endsWith(".ckpt"));
        return files == null ? 0 : files.length;
    }
}
