package io.seqbench.reports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelBenchmarksTest {
    @TempDir
    Path tmp;

    private static KernelBenchmarks.Point point(KernelBenchmarks.Result r, String series, int length) {
        return r.points().stream().filter(p -> p.series().equals(series) && p.length() == length).findFirst()
                .orElseThrow(() -> new AssertionError("no " + series + " at " + length + " in " + r.points()));
    }

    @Test
    void read_jmhJson_secondsPerCallConfidenceBandAndStateUpdates() throws Exception {
        Files.writeString(tmp.resolve("scan.json"), Fixtures.jmhJson());
        KernelBenchmarks.Result r = KernelBenchmarks.read(tmp);

        assertEquals(6, r.points().size());
        KernelBenchmarks.Point fused = point(r, "ScanBenchmark.forward (impl=fused)", 1024);
        assertEquals(0.2 * 1024 * 1e-6, fused.seconds(), 1e-15, "204.8 us/op");
        assertEquals(0.95 * 0.2 * 1024 * 1e-6, fused.lo(), 1e-15);
        assertEquals(1.05 * 0.2 * 1024 * 1e-6, fused.hi(), 1e-15);
        assertEquals(2.0 * 64 * 1024 * 16, fused.stateUpdates());
        assertEquals("CPU (JMH)", fused.platform());
        assertTrue(r.notes().get(0).startsWith("scan.json: JMH results, 6 points charted"), r.notes().toString());

        List<String> notes = new ArrayList<>();
        List<ChartSpec> charts = KernelBenchmarks.charts(r, notes);
        assertEquals(List.of("kernel-cpu-time", "kernel-cpu-per-update"), charts.stream().map(ChartSpec::id).toList());
        ChartSpec perUpdate = charts.get(1);
        ChartSpec.Line line = perUpdate.lines().stream().filter(l -> l.label().contains("fused")).findFirst()
                .orElseThrow();
        assertEquals(0.2 * 1024 * 1e3 / (2.0 * 64 * 1024 * 16), line.points().get(1).y(), 1e-12,
                "ns per state update = time / (batch × channels × length × state)");
        assertTrue(notes.isEmpty());
    }

    @Test
    void read_jmhThroughputModeAndMissingLength_invertedAndSkippedWithANote() throws Exception {
        Files.writeString(tmp.resolve("thrpt.json"), """
                [{"benchmark":"a.B.scan","mode":"thrpt","params":{"L":"512"},
                  "primaryMetric":{"score":2000.0,"scoreUnit":"ops/s"}},
                 {"benchmark":"a.B.setup","mode":"avgt","params":{"batch":"2"},
                  "primaryMetric":{"score":1.0,"scoreUnit":"ms/op"}}]
                """);
        KernelBenchmarks.Result r = KernelBenchmarks.read(tmp);
        assertEquals(1, r.points().size());
        assertEquals(5e-4, r.points().get(0).seconds(), 1e-15, "2000 ops/s is 0.5 ms per op");
        assertNull(r.points().get(0).stateUpdates(), "no sizes given");
        assertTrue(r.notes().get(0).contains("B.setup (no length parameter)"), r.notes().toString());
        List<String> notes = new ArrayList<>();
        assertEquals(1, KernelBenchmarks.charts(r, notes).size(), "no per-update chart without sizes");
        assertTrue(notes.get(0).contains("ns-per-state-update chart is omitted"), notes.toString());
    }

    @Test
    void read_gpuJsonOfTheCudaBenchmark_passesBecomeSeriesWithMinMaxBands() throws Exception {
        Files.writeString(tmp.resolve("scan-gpu.json"), """
                {"device":{"name":"NVIDIA H200","compute_capability":"9.0"},
                 "method":{"timing":"CUDA events"},
                 "results":[
                  {"shape":{"batch":8,"channels":2048,"length":512,"state":16,"groups":0},
                   "forward_sweep":[{"variant":"a","median_us":10.0}],
                   "passes":{"forward":{"median_us":40.0,"min_us":38.0,"max_us":45.0,"memory_floor_us":5.0,
                                        "launch":{"kernel":"fwd","threads":128}},
                             "backward":{"median_us":120.0,"min_us":110.0,"max_us":130.0}},
                   "forward_backward_over_forward":4.0},
                  {"shape":{"batch":8,"channels":2048,"length":2048,"state":16,"groups":0},
                   "passes":{"forward":{"median_us":150.0,"min_us":140.0,"max_us":160.0},
                             "backward":{"median_us":470.0,"min_us":460.0,"max_us":480.0}}}]}
                """);
        Files.writeString(tmp.resolve("torch.json"), """
                {"method":"torch","rows":[
                  {"impl":"sequential","length":512,"batch":8,"channels":2048,"state":16,"forward_us":9000.0,
                   "forward_backward_us":30000.0,"peak_memory_gb":1.5},
                  {"impl":"chunked","length":8192,"batch":8,"channels":2048,"state":16,
                   "error":"out of memory: CUDA out of memory"}]}
                """);
        Files.writeString(tmp.resolve("notes.json"), "{\"pass\": true, \"results\": {\"x\": 1}}");
        Files.writeString(tmp.resolve("broken.json"), "{\"a\": ");
        KernelBenchmarks.Result r = KernelBenchmarks.read(tmp);

        KernelBenchmarks.Point fwd = point(r, "scan-gpu · forward", 512);
        assertEquals(40e-6, fwd.seconds(), 1e-15);
        assertEquals(38e-6, fwd.lo(), 1e-15);
        assertEquals(45e-6, fwd.hi(), 1e-15);
        assertEquals(8.0 * 2048 * 512 * 16, fwd.stateUpdates());
        assertEquals("GPU (NVIDIA H200)", fwd.platform());
        assertEquals(470e-6, point(r, "scan-gpu · backward", 2048).seconds(), 1e-15);
        assertEquals(4, r.points().stream().filter(p -> p.series().startsWith("scan-gpu")).count(),
                "medians only: no floor, sweep or min/max points");
        assertEquals(9000e-6, point(r, "sequential · forward", 512).seconds(), 1e-15);
        assertEquals(30000e-6, point(r, "sequential · forward_backward", 512).seconds(), 1e-15);
        KernelBenchmarks.Point oom = point(r, "chunked", 8192);
        assertNull(oom.seconds());
        assertEquals("oom", oom.status());
        assertEquals(List.of("NVIDIA H200"), r.devices());
        String notes = String.join("\n", r.notes());
        assertTrue(notes.contains("broken.json: not valid JSON"), notes);
        assertTrue(notes.contains("notes.json: no records with a length and a time field were found"), notes);

        List<ChartSpec> charts = KernelBenchmarks.charts(r, new ArrayList<>());
        ChartSpec time = charts.stream().filter(c -> c.id().equals("kernel-gpu-time")).findFirst().orElseThrow();
        assertEquals(1, time.unmeasured().size(), "the out-of-memory row is marked");
    }

    @Test
    void read_missingFolder_noPointsAndANote() {
        KernelBenchmarks.Result r = KernelBenchmarks.read(tmp.resolve("none"));
        assertTrue(r.points().isEmpty());
        assertTrue(r.notes().get(0).contains("does not exist"), r.notes().toString());
        assertTrue(KernelBenchmarks.charts(r, new ArrayList<>()).isEmpty());
    }
}
