package io.seqbench.reports;

import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunDirectory;
import io.seqbench.harness.store.RunInfo;
import io.seqbench.harness.store.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportBuilderTest {
    @TempDir
    Path tmp;

    /** Writes a fixture run: two evaluations, completed or failed. */
    static Path fixtureRun(Path runs, String model, boolean completed) throws IOException {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        RunDirectory dir = RunDirectory.create(runs, model + "-copying", t0);
        dir.writeSpec("name: " + model + "-copying\nmodel:\n  type: " + model + "\ntask:\n  type: copying\n"
                + "train:\n  steps: 20\n");
        dir.appendMetrics(new MetricsLine(10, MetricsLine.EVAL, 32, Map.of("loss", 1.5, "accuracy", 0.4), Map.of()));
        RunInfo info = RunInfo.started(dir.id(), model + "-copying", "train", t0);
        if (completed) {
            dir.appendMetrics(new MetricsLine(20, MetricsLine.EVAL, 32, Map.of("loss", 0.2, "accuracy", 0.97),
                    Map.of()));
            dir.writeSummary(new Summary("accuracy", 20, 1234, Map.of("loss", 0.2, "accuracy", 0.97),
                    Map.of("accuracy", 0.97, "step", 20.0), List.of(), Map.of("1024", 128L),
                    Map.of("chance_accuracy", 0.125), 1000.0));
            dir.writeRun(info.completed(t0.plusSeconds(12)));
        } else {
            dir.writeRun(info.failed(t0.plusSeconds(3), 14, "the training loss became NaN at step 14"));
        }
        dir.close();
        return dir.path();
    }

    @Test
    void write_fixtureRuns_writesHtmlMarkdownAndChartImages() throws Exception {
        Path runs = tmp.resolve("runs");
        fixtureRun(runs, "lstm", true);
        fixtureRun(runs, "lstm", false);
        Path out = tmp.resolve("report");
        ReportBuilder.Result result = ReportBuilder.write(runs, out);
        assertEquals(2, result.runs());
        assertEquals(1, result.charts());
        String html = Files.readString(result.index());
        assertTrue(html.contains("the training loss became NaN at step 14"), "the failure reason is shown");
        assertTrue(html.contains("0.9700"), "the final accuracy is shown");
        BufferedImage png = ImageIO.read(out.resolve("charts/learning-copying.png").toFile());
        assertTrue(png.getWidth() > 500 && png.getHeight() > 300);
        assertTrue(Files.readString(out.resolve("charts/learning-copying.svg")).contains("<svg"));
        assertTrue(Files.readString(result.markdown()).contains("![Learning curves: copying]"));
    }

    @Test
    void write_corruptRunAmongGoodOnes_isListedWithItsProblem() throws Exception {
        Path runs = tmp.resolve("runs");
        fixtureRun(runs, "lstm", true);
        Path broken = fixtureRun(runs, "lstm", true);
        Files.writeString(broken.resolve(RunDirectory.RUN), "{\"id\":");
        ReportBuilder.Result result = ReportBuilder.write(runs, tmp.resolve("report"));
        assertTrue(Files.readString(result.index()).contains("run.json is corrupt"));
    }

    @Test
    void write_missingRunsFolder_failsWithAHint() {
        ReportException e = assertThrows(ReportException.class,
                () -> ReportBuilder.write(tmp.resolve("none"), tmp.resolve("out")));
        assertTrue(e.getMessage().contains("seqbench run"), e.getMessage());
    }
}
