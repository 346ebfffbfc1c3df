package io.seqbench.harness.suite;

import io.seqbench.harness.TestSpecs;
import io.seqbench.harness.spec.SpecWriter;
import io.seqbench.harness.store.Environment;
import io.seqbench.harness.store.RunDirectory;
import io.seqbench.harness.store.RunInfo;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import io.seqbench.harness.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteRunnerTest {
    @TempDir
    Path runs;

    private void record(io.seqbench.harness.spec.Spec spec, RunStatus status) throws Exception {
        RunDirectory dir = RunDirectory.create(runs, spec.name(), Instant.now());
        dir.writeSpec(SpecWriter.toYaml(spec));
        RunInfo info = new RunInfo(dir.id(), spec.name(), "train", status, Instant.now(), null, null, null,
                Long.MAX_VALUE / 2, Environment.localHostname());   // a pid that is not alive
        dir.writeRun(info);
    }

    @Test
    void plan_completedInterruptedAndNewRuns_areSkippedResumedAndStarted() throws Exception {
        var done = TestSpecs.tiny("name=done");
        var broken = TestSpecs.tiny("name=broken");
        var fresh = TestSpecs.tiny("name=fresh");
        var changed = TestSpecs.tiny("name=done", "train.steps=31");   // same name, other resolved spec
        record(done, RunStatus.COMPLETED);
        record(broken, RunStatus.RUNNING);      // its process is gone: interrupted
        Suite suite = new Suite("s", "", List.of(), 0, List.of(done, broken, fresh, changed));
        SuiteRunner runner = new SuiteRunner(runs, new PrintStream(new ByteArrayOutputStream()), false, a -> a);
        List<String> actions = runner.plan(suite).stream().map(SuiteRunner.Job::action).toList();
        assertEquals(List.of("skip", "resume", "new", "new"), actions);
    }

    @Test
    void run_workerKilledBySigkill_recordSaysWhy() throws Exception {
        // the "worker" announces an existing run directory (RUNNING, its recorded pid gone) and kills itself as the
        // kernel's OOM killer would: the suite must write into the record why the run stopped
        var spec = TestSpecs.tiny("name=victim");
        RunDirectory dir = RunDirectory.create(runs, spec.name(), Instant.now());
        dir.writeSpec(SpecWriter.toYaml(spec));
        dir.writeRun(new RunInfo(dir.id(), spec.name(), "train", RunStatus.RUNNING, Instant.now(), null, null, null,
                Long.MAX_VALUE / 2, Environment.localHostname()));
        String announce = "echo 'run victim -> " + dir.path() + "'; kill -9 $$";
        Suite suite = new Suite("s", "", List.of(), 1, List.of(spec));
        SuiteRunner runner = new SuiteRunner(runs, new PrintStream(new ByteArrayOutputStream()), false,
                a -> List.of("bash", "-c", announce));

        List<SuiteRunner.Outcome> outcomes = runner.run(suite, 1);

        assertEquals("interrupted", outcomes.get(0).status());
        RunRecord reread = RunRecords.load(dir.path());
        assertEquals(RunStatus.INTERRUPTED, reread.status());
        assertTrue(reread.info().failure().reason().contains("SIGKILL"), reread.info().failure().reason());
        assertTrue(outcomes.get(0).message().contains("out-of-memory killer"), outcomes.get(0).message());
    }

    @Test
    void exitReason_namesSignalsAndCodes() {
        assertTrue(SuiteRunner.exitReason(137, 3_200_000_000L).contains("SIGKILL"));
        assertTrue(SuiteRunner.exitReason(137, 3_200_000_000L).contains("3.2 GB"));
        assertTrue(SuiteRunner.exitReason(143, 0).contains("signal 15"));
        assertTrue(SuiteRunner.exitReason(2, 0).contains("code 2"));
    }

    @Test
    void work_weighsTrainingByTokensAndProbesByRepetitionsAndJvmStarts() {
        var train = io.seqbench.harness.spec.SpecReader.parse("""
                model: {type: lstm}
                task: {type: selective_copying, length: 64}
                train: {steps: 100, batch_size: 8}
                """, List.of(), "test");
        assertEquals(100.0 * 8 * 64, SuiteRunner.work(train));
        var memory = io.seqbench.harness.spec.SpecReader.parseAny("""
                kind: memory
                model: {type: lstm}
                probe: {lengths: [64, 128], batch_size: 2, steps: 1}
                """, List.of(), "test");
        assertEquals(2 * 64 + 2 * 128 + 2 * SuiteRunner.JVM_START_TOKENS, SuiteRunner.work(memory));
        var throughput = io.seqbench.harness.spec.SpecReader.parseAny("""
                kind: throughput
                model: {type: lstm}
                probe: {lengths: [64], batch_size: 2, warmup: 1, repeats: 5}
                """, List.of(), "test");
        assertEquals(2 * 64 * 6 * 3.0, SuiteRunner.work(throughput));
    }
}
