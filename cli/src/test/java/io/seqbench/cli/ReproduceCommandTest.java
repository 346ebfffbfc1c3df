package io.seqbench.cli;

import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import io.seqbench.harness.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReproduceCommandTest {
    @TempDir
    Path tmp;

    private static final String SPEC = """
            name: tiny-reproduce
            seed: 5
            model: {type: lstm, d_model: 8, layers: 1}
            task: {type: copying, tokens: 2, data_tokens: 4, delay: 2}
            train: {steps: 8, batch_size: 4, log_every: 2, checkpoint_every: 4}
            eval: {every: 4, batches: 1, batch_size: 4}
            """;

    @Test
    void reproduce_aRecordedRun_runsInAWatchedChildAndMatchesExactly() throws Exception {
        Path spec = Files.writeString(tmp.resolve("tiny.yaml"), SPEC);
        Path runs = tmp.resolve("runs");
        RunCommandTest.Result made = RunCommandTest.cli("run", spec.toString(), "--runs-dir", runs.toString(),
                "--in-process");
        assertEquals(SeqBench.OK, made.code(), made.err());
        Path original = only(runs);

        Path reproductions = tmp.resolve("reproductions");
        // --force: this checkout may have uncommitted changes, which make the command refuse an exact claim; the
        // code is the same in both runs all the same
        RunCommandTest.Result r = RunCommandTest.cli("reproduce", original.toString(), "--runs-dir",
                reproductions.toString(), "--force");
        assertEquals(SeqBench.OK, r.code(), "the reproduction must match: " + r.err());
        Path reproduction = only(reproductions);
        RunRecord record = RunRecords.load(reproduction);
        assertEquals(RunStatus.COMPLETED, record.status());
        assertNotEquals(ProcessHandle.current().pid(), record.info().pid(), "it must run in a child JVM");
        assertEquals(RunRecords.load(original).metrics().size(), record.metrics().size());
    }

    private static Path only(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> dirs = s.filter(Files::isDirectory).toList();
            assertTrue(dirs.size() == 1, "expected one run directory in " + dir + ", found " + dirs);
            return dirs.get(0);
        }
    }
}
