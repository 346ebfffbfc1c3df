package io.seqbench.harness.run;

import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import io.seqbench.harness.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SupervisorTest {
    @TempDir
    Path runs;

    @Test
    void childKilledBySigkill_itsRecordSaysWhyAndHowToResume() throws Exception {
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // KillTest's child trains a tiny run into `runs`; here it runs under the supervisor
            Future<Integer> exit = pool.submit(() -> Supervisor.run(KillTest.class.getName(),
                    List.of(runs.toString()), new PrintStream(notes, true, StandardCharsets.UTF_8)));
            Path dir = KillTest.awaitCheckpoints(runs, 1);
            long pid = RunRecords.load(dir).info().pid();
            assertTrue(pid != ProcessHandle.current().pid(), "the run must be in a child process");
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();  // SIGKILL, as the out-of-memory killer sends

            assertEquals(128 + 9, exit.get(60, TimeUnit.SECONDS));
            RunRecord record = RunRecords.load(dir);
            assertEquals(RunStatus.INTERRUPTED, record.status());
            assertNotNull(record.info().failure(), "the supervisor must note why the run stopped");
            String reason = record.info().failure().reason();
            assertTrue(reason.contains("killed by SIGKILL") && reason.contains("out-of-memory killer"), reason);
            assertTrue(reason.contains("its resident set reached"), reason);
            assertTrue(reason.contains("seqbench resume " + dir), reason);
            assertTrue(notes.toString(StandardCharsets.UTF_8).contains("interrupted: its process was killed by SIGKILL"),
                    notes.toString(StandardCharsets.UTF_8));
        } finally {
            pool.shutdownNow();
        }
    }

    /** A supervisor in a process of its own (for the test that kills it): supervises KillTest's run in args[0]. */
    public static void main(String[] args) throws Exception {
        System.exit(Supervisor.run(KillTest.class.getName(), List.of(args[0]), System.err));
    }

    @Test
    void supervisorKilledBySigkill_theRunStopsAndItsRecordSaysWhy() throws Exception {
        Process supervisor = new ProcessBuilder(JvmCommand.of(List.of("-Dorg.nd4j.log.initialization=false"),
                SupervisorTest.class.getName(), List.of(runs.toString())))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path dir;
        try {
            dir = KillTest.awaitCheckpoints(runs, 1);
        } finally {
            supervisor.destroyForcibly();  // SIGKILL: the supervisor can neither stop its child nor note anything
            supervisor.waitFor(30, TimeUnit.SECONDS);
        }
        long pid = RunRecords.load(dir).info().pid();
        assertTrue(pid != supervisor.pid(), "the run must be in the supervisor's child");
        ProcessHandle.of(pid).ifPresent(child -> child.onExit().orTimeout(60, TimeUnit.SECONDS).join());

        RunRecord record = RunRecords.load(dir);
        assertEquals(RunStatus.INTERRUPTED, record.status());
        assertNotNull(record.info().failure(), "the orphaned run must note why it stopped");
        String reason = record.info().failure().reason();
        assertTrue(reason.contains("watching it (pid " + supervisor.pid() + ") ended first"), reason);
        assertTrue(reason.contains("seqbench resume " + dir), reason);
    }

    @Test
    void exitReason_namesTheSignalsAProcessIsUsuallyStoppedBy() {
        assertTrue(Supervisor.exitReason("its process", 137, 2_500_000_000L)
                .matches("its process was killed by SIGKILL, most often the kernel's out-of-memory killer.*2\\.5 GB"));
        assertTrue(Supervisor.exitReason("its process", 130, 0).contains("SIGINT (Ctrl-C)"));
        assertTrue(Supervisor.exitReason("its process", 143, 0).contains("SIGTERM (signal 15)"));
        assertTrue(Supervisor.exitReason("its process", 129, 0).contains("SIGHUP"));
        assertTrue(Supervisor.exitReason("its process", 134, 0).contains("killed by signal 6"));
        assertEquals("its process exited with code 3 before the run finished",
                Supervisor.exitReason("its process", 3, 0));
    }

    @Test
    void note_ordinaryExitOrNoRunAnnounced_writesNothing() throws Exception {
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(notes, true, StandardCharsets.UTF_8);
        Path none = runs.resolve("never-written.dir");
        Supervisor.note(none, 137, 0, out);           // killed before it created a run
        Path empty = Files.writeString(runs.resolve("empty.dir"), "");
        Supervisor.note(empty, 137, 0, out);
        Supervisor.note(empty, 1, 0, out);            // an ordinary failure: the run recorded its own end
        assertEquals("", notes.toString(StandardCharsets.UTF_8));
    }
}
