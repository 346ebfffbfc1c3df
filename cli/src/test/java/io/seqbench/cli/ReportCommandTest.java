package io.seqbench.cli;

import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunDirectory;
import io.seqbench.harness.store.RunInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportCommandTest {
    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SeqBench.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[]{Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void report_oneRun_printsThePathOfTheReportLast() throws Exception {
        Path runs = tmp.resolve("runs");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        RunDirectory dir = RunDirectory.create(runs, "lstm-copying", t0);
        dir.writeSpec("name: lstm-copying\nmodel:\n  type: lstm\ntask:\n  type: copying\n");
        dir.appendMetrics(new MetricsLine(10, MetricsLine.EVAL, 16, Map.of("accuracy", 0.5), Map.of()));
        dir.writeRun(RunInfo.started(dir.id(), "lstm-copying", "train", t0).failed(t0.plusSeconds(1), 10, "stopped"));
        dir.close();
        Path out = tmp.resolve("report");
        String[] r = run("report", "--runs", runs.toString(), "--out", out.toString(),
                "--benchmarks", tmp.resolve("none").toString());
        assertEquals("0", r[0], r[2]);
        String[] lines = r[1].strip().split("\n");
        assertEquals(out.resolve("index.html").toAbsolutePath().toString(), lines[lines.length - 1].strip());
        assertTrue(Files.readString(out.resolve("index.html")).contains("stopped"));
    }

    @Test
    void report_unknownSuite_exitsTwoAndNamesTheSuitesThereAre() throws Exception {
        Path suites = Files.createDirectories(tmp.resolve("suites"));
        Files.writeString(suites.resolve("quick.yaml"),
                "name: quick\nruns: [{model: {type: lstm}, task: {type: copying}}]\n");
        String[] r = run("report", "--runs", tmp.toString(), "--suite", "nope", "--suites-dir", suites.toString(),
                "--out", tmp.resolve("out").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("suite file not found") && r[2].contains("quick"), r[2]);
    }
}
