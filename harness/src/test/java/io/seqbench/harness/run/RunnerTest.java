package io.seqbench.harness.run;

import io.seqbench.harness.TestSpecs;
import io.seqbench.harness.spec.Spec;
import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunDirectory;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import io.seqbench.harness.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunnerTest {
    @TempDir
    Path runs;

    private Runner.Outcome run(Spec spec) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        return new Runner(runs, quiet, false, Clock.systemUTC()).train(spec);
    }

    @Test
    void train_tinySpec_writesEveryRecordFile() throws Exception {
        Runner.Outcome outcome = run(TestSpecs.tiny());
        assertEquals(RunStatus.COMPLETED, outcome.status());
        Path dir = outcome.directory().path();
        for (String f : List.of(RunDirectory.SPEC, RunDirectory.RUN, RunDirectory.ENV, RunDirectory.METRICS,
                RunDirectory.SUMMARY, RunDirectory.STDOUT)) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f + " must exist and not be empty");
        }
        assertTrue(Files.exists(dir.resolve("checkpoints/step-00000030.ckpt")));
        RunRecord record = RunRecords.load(dir);
        assertTrue(record.problems().isEmpty(), record.problems().toString());
        assertEquals(RunStatus.COMPLETED, record.status());
        assertEquals(1, record.env().threads());
        assertNotNull(record.env().cpuModel());
        assertEquals(6 + 3, record.metrics().stream().filter(m -> m.kind().equals(MetricsLine.TRAIN)).count()
                + record.metrics().stream().filter(m -> m.kind().equals(MetricsLine.EVAL)).count());
        assertEquals(1, record.summary().lengths().size());
        assertEquals(12, record.summary().lengths().get(0).length());
    }

    @Test
    void train_sameSpecTwice_identicalMetricValues() throws Exception {
        List<MetricsLine> a = RunRecords.load(run(TestSpecs.tiny()).directory().path()).metrics();
        List<MetricsLine> b = RunRecords.load(run(TestSpecs.tiny()).directory().path()).metrics();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).values(), b.get(i).values(), "line " + (i + 1));
            assertEquals(a.get(i).step(), b.get(i).step());
        }
        List<MetricsLine> other = RunRecords.load(run(TestSpecs.tiny("seed=4")).directory().path()).metrics();
        assertFalse(a.get(0).values().equals(other.get(0).values()), "another seed gives other metrics");
    }

    @Test
    void train_divergingLoss_endsFailedWithTheStep() throws Exception {
        Runner.Outcome outcome = run(TestSpecs.tiny("train.learning_rate=1e38", "train.grad_clip=0",
                "train.warmup_steps=0"));
        assertEquals(RunStatus.FAILED, outcome.status());
        RunRecord record = RunRecords.load(outcome.directory().path());
        assertEquals(RunStatus.FAILED, record.status());
        assertTrue(record.info().failure().step() >= 1, record.info().failure().toString());
        assertTrue(record.info().failure().reason().matches(".*became (NaN|Infinity|-Infinity).*"),
                record.info().failure().reason());
    }
}
