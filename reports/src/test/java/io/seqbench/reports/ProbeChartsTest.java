package io.seqbench.reports;

import io.seqbench.harness.store.RunRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeChartsTest {
    @TempDir
    Path tmp;

    private static ChartSpec chart(List<ChartSpec> charts, String id) {
        return charts.stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no chart " + id + " in "
                        + charts.stream().map(ChartSpec::id).toList()));
    }

    @Test
    void throughput_outOfMemoryPoints_areMarkedWithTheirNoteNotDropped() throws Exception {
        Fixtures.throughput(tmp, "transformer-tp", "transformer", new int[]{64, 128, 256, 512}, 256, 2);
        List<ChartSpec> charts = ProbeCharts.throughput(Catalog.of(RunRecords.loadAll(tmp)));
        ChartSpec train = chart(charts, "train-throughput");

        assertEquals(1, train.lines().size());
        assertEquals(List.of(64.0, 128.0), train.lines().get(0).points().stream().map(ChartSpec.Point::x).toList());
        assertEquals(2, train.unmeasured().size());
        ChartSpec.Unmeasured oom = train.unmeasured().get(0);
        assertEquals(256.0, oom.x());
        assertEquals("oom", oom.status());
        assertEquals("out of memory at L = 256", oom.note());
        assertEquals("transformer", oom.type());
        assertTrue(train.caption().contains("could not be measured"), train.caption());
        assertEquals(2, chart(charts, "decode-latency").unmeasured().size());
    }

    @Test
    void throughput_tokensPerSecondBand_spansTheSlowestToTheFastestRepeat() throws Exception {
        Fixtures.throughput(tmp, "lstm-tp", "lstm", new int[]{64, 128}, Integer.MAX_VALUE, 1);
        ChartSpec train = chart(ProbeCharts.throughput(Catalog.of(RunRecords.loadAll(tmp))), "train-throughput");
        ChartSpec.Point p = train.lines().get(0).points().get(0);
        // fixture: median 0.01 s for 256 tokens; min 0.9x, max 1.2x
        assertEquals(25600, p.y(), 1e-6);
        assertEquals(256 / 0.012, p.lo(), 1e-6);
        assertEquals(256 / 0.009, p.hi(), 1e-6);
    }

    @Test
    void slopes_stepTime_guidesStartAtTheFirstPointWithSlopesOneAndTwo() throws Exception {
        Fixtures.throughput(tmp, "lstm-tp", "lstm", new int[]{64, 128, 256, 512}, Integer.MAX_VALUE, 1);
        Fixtures.throughput(tmp, "transformer-tp", "transformer", new int[]{128, 256, 512}, Integer.MAX_VALUE, 2);
        ChartSpec time = chart(ProbeCharts.throughput(Catalog.of(RunRecords.loadAll(tmp))), "train-step-time");

        assertEquals(2, time.guides().size());
        ChartSpec.Guide linear = time.guides().get(0);
        ChartSpec.Guide quadratic = time.guides().get(1);
        assertEquals("O(L) reference", linear.label());
        assertEquals("O(L²) reference", quadratic.label());
        for (ChartSpec.Guide g : time.guides()) {
            ChartSpec.Point start = g.points().get(0);
            assertEquals(64, start.x(), 1e-9, "anchored at the plot's smallest length");
            assertEquals(0.01, start.y(), 1e-12, "through the first point's value");
        }
        assertEquals(1.0, slope(linear), 1e-9);
        assertEquals(2.0, slope(quadratic), 1e-9);
    }

    /** The log-log slope between a guide's first and last points. */
    private static double slope(ChartSpec.Guide g) {
        ChartSpec.Point a = g.points().get(0);
        ChartSpec.Point b = g.points().get(g.points().size() - 1);
        return Math.log(b.y() / a.y()) / Math.log(b.x() / a.x());
    }

    @Test
    void memory_peakRss_inMebibytesWithOomMarked() throws Exception {
        Fixtures.memory(tmp, "transformer-mem", "transformer", new int[]{64, 128, 256}, 256, 2);
        ChartSpec mem = chart(ProbeCharts.memory(Catalog.of(RunRecords.loadAll(tmp))), "train-memory");
        assertEquals(4e6 / (1024 * 1024), mem.lines().get(0).points().get(0).y(), 1e-9);
        assertEquals(1, mem.unmeasured().size());
        assertEquals(256.0, mem.unmeasured().get(0).x());
    }

    @Test
    void stateSize_recurrentAndAttention_constantAndGrowing() throws Exception {
        Fixtures.memory(tmp, "lstm-mem", "lstm", new int[]{64, 128}, Integer.MAX_VALUE, 1);
        Fixtures.memory(tmp, "transformer-mem", "transformer", new int[]{64, 128}, Integer.MAX_VALUE, 2);
        ChartSpec state = ProbeCharts.stateSize(Catalog.of(RunRecords.loadAll(tmp)));
        assertEquals(2, state.lines().size());
        ChartSpec.Line lstm = state.lines().get(0);
        ChartSpec.Line transformer = state.lines().get(1);
        assertEquals("lstm", lstm.type());
        assertEquals(lstm.points().get(0).y(), lstm.points().get(1).y());
        assertEquals(2 * transformer.points().get(0).y(), transformer.points().get(1).y(), 1e-9);
        assertNotNull(state.caption());
    }
}
