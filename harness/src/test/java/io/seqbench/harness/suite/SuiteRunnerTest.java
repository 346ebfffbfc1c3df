package io.seqbench.harness.suite;

import io.seqbench.harness.TestSpecs;
import io.seqbench.harness.spec.SpecWriter;
import io.seqbench.harness.store.Environment;
import io.seqbench.harness.store.RunDirectory;
import io.seqbench.harness.store.RunInfo;
import io.seqbench.harness.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
