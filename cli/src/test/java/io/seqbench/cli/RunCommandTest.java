package io.seqbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCommandTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SeqBench.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'model: {type: lstm, hidden_size: 8}\ntask: {type: copying}' | model.hidden_size: unknown key",
            "'model: {type: lstm}\ntask: {type: copying}\ntrain: {steps: many}' | train.steps: must be an integer, got 'many'",
            "'model: {type: lstm}\ntask: {type: copying, delay: -1}' | task.delay: must be ≥ 0, got -1",
    })
    void run_invalidSpec_exitsTwoNamesTheKeyAndLeavesNoRunDirectory(String yaml, String expected)
            throws Exception {
        Path spec = tmp.resolve("bad.yaml");
        Files.writeString(spec, yaml);
        Path runs = tmp.resolve("runs");
        Result r = cli("run", spec.toString(), "--runs-dir", runs.toString());
        assertEquals(SeqBench.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(Files.exists(runs) && Files.list(runs).findAny().isPresent(), "no run directory may be left");
    }

    @Test
    void run_missingSpecFile_exitsTwo() {
        Result r = cli("run", tmp.resolve("nope.yaml").toString(), "--runs-dir", tmp.resolve("runs").toString());
        assertEquals(SeqBench.BAD_INPUT, r.code());
        assertTrue(r.err().contains("spec file not found"), r.err());
    }

    @Test
    void run_badOverride_exitsTwo() throws Exception {
        Path spec = tmp.resolve("ok.yaml");
        Files.writeString(spec, "model: {type: lstm}\ntask: {type: copying}\n");
        Result r = cli("run", spec.toString(), "--set", "train.threads=0", "--runs-dir", tmp.resolve("r").toString());
        assertEquals(SeqBench.BAD_INPUT, r.code());
        assertTrue(r.err().contains("train.threads: must be in [1, 1024], got 0"), r.err());
    }

    @Test
    void report_emptyRunsFolder_exitsTwoWithAClearMessage() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("empty"));
        Result r = cli("report", "--runs", runs.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(SeqBench.BAD_INPUT, r.code());
        assertTrue(r.err().contains("holds no runs"), r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void help_everyCommand_printsUsageAndExitsZero() {
        for (String command : new String[]{"run", "report"}) {
            Result r = cli(command, "--help");
            assertEquals(0, r.code(), command);
            assertTrue(r.out().contains("Usage: seqbench " + command), r.out());
        }
        assertEquals(0, cli("--help").code());
    }

    @Test
    void commandGroups_withoutASubcommand_printTheirUsage() {
        for (String group : new String[]{"kernel", "bench", "data"}) {
            Result r = cli(group);
            assertEquals(0, r.code(), group);
            assertTrue(r.out().contains("Usage: seqbench " + group), r.out());
        }
        Result top = cli();
        assertEquals(0, top.code());
        assertTrue(top.out().contains("Usage: seqbench"), top.out());
    }

    @Test
    void unknownCommand_exitsTwo() {
        assertEquals(SeqBench.BAD_INPUT, cli("frobnicate").code());
    }
}
