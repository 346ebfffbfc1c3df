package io.seqbench.reports;

import io.seqbench.harness.store.RunDirectory;
import io.seqbench.harness.suite.Suite;
import io.seqbench.harness.suite.SuiteReader;
import io.seqbench.harness.spec.SpecWriter;
import io.seqbench.harness.store.RunInfo;
import io.seqbench.harness.store.Summary;
import io.seqbench.harness.store.MetricsLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportBuilderTest {
    @TempDir
    Path tmp;

    @Test
    void write_fullFixtureSet_everyChartAndTableWithFailuresListed() throws Exception {
        Path runs = tmp.resolve("runs");
        Path benchmarks = tmp.resolve("benchmarks");
        Fixtures.fullSet(runs, benchmarks);
        Path out = tmp.resolve("report");
        ReportBuilder.Result result = ReportBuilder.write(new ReportRequest(runs, out, null, benchmarks));

        String html = Files.readString(result.index());
        List<String> expected = List.of("final-accuracy", "final-bits-per-character", "learning-copying",
                "learning-char-lm", "length-copying", "train-throughput", "train-step-time", "prefill-throughput",
                "decode-latency", "train-memory", "train-allocation", "state-size", "parameters", "kernel-cpu-time",
                "kernel-cpu-per-update");
        Matcher m = Pattern.compile("<img src=\"charts/([a-z0-9-]+)\\.png\"").matcher(html);
        List<String> shown = m.results().map(r -> r.group(1)).toList();
        assertEquals(expected.stream().sorted().toList(), shown.stream().sorted().toList());
        assertEquals(expected.size(), result.charts());
        for (String chart : shown) {
            BufferedImage png = ImageIO.read(out.resolve("charts/" + chart + ".png").toFile());
            assertNotNull(png, chart);
            assertTrue(png.getWidth() > 1000 && png.getHeight() > 600, chart + " is large enough to read");
            assertTrue(Files.readString(out.resolve("charts/" + chart + ".svg")).contains("<svg"), chart);
        }
        assertEquals(14, result.runs(), "13 runs and one broken folder");
        // failures, interruptions and unmeasured points are listed with their reasons
        assertTrue(html.contains("the training loss became NaN at step 20"), "failed run's reason");
        assertTrue(html.contains("interrupted"), "the interrupted run");
        assertTrue(html.contains("`seqbench resume` continues it"), "what to do about it");
        assertTrue(html.contains("out of memory at L = 512"), "the throughput OOM point");
        assertTrue(html.contains("out of memory at L = 256"), "the memory OOM point");
        assertTrue(html.contains("run.json is corrupt"), "the broken folder's problem");
        assertTrue(html.contains("evaluation at L = 64"), "unsupported length of learned positions");
        // results matrix: seeds averaged, best highlighted
        assertTrue(html.contains("lstm-copying (3 of 3 seeds completed)"), "seed count behind the cell");
        assertTrue(Pattern.compile("class=\"num best\"[^>]*>99.0<").matcher(html).find(),
                "transformer (learned) has the best copying accuracy, highlighted");
        // environment
        assertTrue(html.contains("Test CPU"));
        assertTrue(html.contains("ND4J 1.0.0-M2.1, CpuBackend"));
        assertTrue(html.contains("0123456789ab"));
        assertTrue(html.contains("<link rel=\"icon\" href=\"data:,\">"), "no favicon request from file://");
        assertFalse(html.contains("http://") || html.contains("https://"), "nothing loads from the network");

        String md = Files.readString(result.markdown());
        assertTrue(md.contains("![Learning curves: copying](charts/learning-copying.png)"), md);
        assertTrue(md.contains("| Task | Metric |"), "the results matrix as a Markdown table");
        assertTrue(md.contains("**99.0**"), "best value in bold");
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("benchmarks", "report", "runs"), files.map(p -> p.getFileName().toString())
                    .sorted().toList(), "no staging folder left behind");
        }
    }

    @Test
    void write_suite_onlyItsRunsAndItsPaperTableLabelledAsThePapers() throws Exception {
        Suite suite = SuiteReader.parse("""
                name: mini
                description: two LSTMs
                expected: ["the wide one learns faster"]
                grids:
                  - model: [{label: small, type: lstm, d_model: 8, layers: 1},
                            {label: wide, type: lstm, d_model: 16, layers: 1}]
                    task: [{type: copying, tokens: 3, delay: 2}]
                papers:
                  - title: "Some paper, Table 9: copying"
                    source: "A. Author, 2020, Table 9"
                    metric: accuracy (%)
                    setup: "the paper trains 100x longer"
                    columns: [accuracy]
                    rows:
                      - {label: "LSTM (paper)", run: small-copying, values: {accuracy: 42.0}, note: "as published"}
                """, "mini.yaml");
        Path runs = tmp.resolve("runs");
        int i = 0;
        for (var spec : suite.runs()) {
            RunDirectory dir = RunDirectory.create(runs, spec.name(), Fixtures.T0.plusSeconds(i++));
            dir.writeSpec(SpecWriter.toYaml(spec));
            dir.writeEnvironment(Fixtures.ENV);
            dir.appendMetrics(new MetricsLine(10, MetricsLine.EVAL, 8, Map.of("accuracy", 0.5 + 0.1 * i), Map.of()));
            dir.writeSummary(new Summary("accuracy", 10, 500, Map.of("accuracy", 0.5 + 0.1 * i), Map.of(), List.of(),
                    Map.of(), Map.of(), 100.0));
            dir.writeRun(RunInfo.started(dir.id(), spec.name(), "train", Fixtures.T0)
                    .completed(Fixtures.T0.plusSeconds(9)));
            dir.close();
        }
        Fixtures.training(runs, "not-in-suite", "lstm", "", "copying", 1, Fixtures.End.COMPLETED,
                new double[]{0.5}, Map.of());
        ReportBuilder.Result result = ReportBuilder.write(new ReportRequest(runs, tmp.resolve("out"), suite, null));

        assertEquals(2, result.runs());
        String html = Files.readString(result.index());
        assertFalse(html.contains("not-in-suite"));
        assertTrue(html.contains("Only the 2 of 3 records"), "says it filtered");
        assertTrue(html.contains("the wide one learns faster"), "the suite's expectation is shown");
        assertTrue(html.contains("Some paper, Table 9: copying"));
        assertTrue(html.contains("Paper (published): accuracy (%)"));
        assertTrue(html.contains("SeqBench (this machine): accuracy (%)"));
        assertTrue(html.contains("the paper trains 100x longer"), "setup differences");
        assertTrue(Pattern.compile("class=\"paper num\">42.0<").matcher(html).find(), "the paper's value");
        assertTrue(Pattern.compile("class=\"ours num\">60.0<").matcher(html).find(), "the run's own value, in %");
        assertTrue(html.contains("No benchmark folder was given"));
    }

    @Test
    void write_missingRunsFolder_failsWithAHint() {
        ReportException e = assertThrows(ReportException.class,
                () -> ReportBuilder.write(tmp.resolve("none"), tmp.resolve("out")));
        assertTrue(e.getMessage().contains("seqbench run"), e.getMessage());
    }

    @Test
    void write_emptyRunsFolder_failsAndWritesNothing() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        ReportException e = assertThrows(ReportException.class,
                () -> ReportBuilder.write(runs, tmp.resolve("out")));
        assertTrue(e.getMessage().contains("holds no runs"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void write_onlyUnreadableRunFolders_failsWithAClearMessage() throws Exception {
        Path runs = tmp.resolve("runs");
        Files.createDirectories(runs.resolve("a"));
        Files.createDirectories(runs.resolve("b"));
        Files.writeString(runs.resolve("b").resolve(RunDirectory.RUN), "not json");
        ReportException e = assertThrows(ReportException.class,
                () -> ReportBuilder.write(runs, tmp.resolve("out")));
        assertTrue(e.getMessage().contains("none of the 2 run folders"), e.getMessage());
    }

    @Test
    void write_outIsAFolderThatIsNotAReport_refusesAndKeepsIt() throws Exception {
        Path runs = tmp.resolve("runs");
        Fixtures.training(runs, "lstm", "lstm", "", "copying", 1, Fixtures.End.COMPLETED, new double[]{0.5}, Map.of());
        Path precious = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(precious.resolve("thesis.tex"), "keep me");
        ReportException e = assertThrows(ReportException.class, () -> ReportBuilder.write(runs, precious));
        assertTrue(e.getMessage().contains("not an earlier report"), e.getMessage());
        assertTrue(Files.exists(precious.resolve("thesis.tex")));
        assertThrows(ReportException.class, () -> ReportBuilder.write(runs, tmp), "--out holding the runs");
    }

    @Test
    void write_twice_replacesTheEarlierReport() throws Exception {
        Path runs = tmp.resolve("runs");
        Fixtures.training(runs, "lstm-a", "lstm", "", "copying", 1, Fixtures.End.COMPLETED, new double[]{0.5},
                Map.of());
        Path out = tmp.resolve("out");
        ReportBuilder.write(new ReportRequest(runs, out, null, null));
        Fixtures.training(runs, "lstm-b", "lstm", "", "copying", 2, Fixtures.End.COMPLETED, new double[]{0.7},
                Map.of());
        ReportBuilder.Result second = ReportBuilder.write(new ReportRequest(runs, out, null, null));
        assertEquals(2, second.runs());
        assertTrue(Files.readString(second.index()).contains("lstm-b"));
    }
}
