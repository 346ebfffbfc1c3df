package io.seqbench.harness.probe;

import io.seqbench.harness.run.Runner;
import io.seqbench.harness.spec.ProbeSpec;
import io.seqbench.harness.spec.SpecReader;
import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import io.seqbench.harness.store.RunStatus;
import io.seqbench.kernels.op.JavaOps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeTest {
    @TempDir
    Path runs;

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    private RunRecord probe(String kind, String probeSection) throws Exception {
        ProbeSpec spec = (ProbeSpec) SpecReader.parseAny("kind: " + kind + "\nmodel: {type: lstm, d_model: 8, layers: 1}\n"
                + "probe: " + probeSection + "\n", List.of(), "probe");
        Runner.Outcome outcome = new Runner(runs, new PrintStream(new ByteArrayOutputStream()), false,
                Clock.systemUTC()).run(spec);
        assertEquals(RunStatus.COMPLETED, outcome.status());
        RunRecord record = RunRecords.load(outcome.directory().path());
        assertTrue(record.problems().isEmpty(), record.problems().toString());
        return record;
    }

    @Test
    void throughput_recordsTrainPrefillAndDecodeAtEveryLength() throws Exception {
        RunRecord r = probe("throughput", "{lengths: [8, 16], batch_size: 2, warmup: 1, repeats: 5, decode_tokens: 6}");
        for (String kind : List.of("throughput", "prefill", "decode")) {
            List<MetricsLine> lines = r.metrics().stream().filter(m -> m.kind().equals(kind)).toList();
            assertEquals(List.of(8, 16), lines.stream().map(MetricsLine::length).toList(), kind);
            for (MetricsLine m : lines) {
                assertTrue(m.ok());
                double median = m.measured().get("median_seconds");
                assertTrue(median > 0 && m.measured().get("min_seconds") <= median
                        && median <= m.measured().get("max_seconds"), m.toString());
                assertEquals(kind.equals("decode") ? 6.0 : 5.0, m.measured().get("repeats"));
            }
        }
        assertEquals(2 * 8.0 * Float.BYTES, r.metrics().stream().filter(m -> m.kind().equals("decode")).findFirst()
                .orElseThrow().values().get("state_bytes"), "LSTM state: (h, c) of one layer, d_model 8, 4 bytes each");
    }

    @Test
    void throughput_pointOverTheTimeBudget_isRecordedAndLongerLengthsSkipped() throws Exception {
        RunRecord r = probe("throughput",
                "{lengths: [8, 16], batch_size: 2, warmup: 0, repeats: 5, time_budget_seconds: 0.000001}");
        List<MetricsLine> train = r.metrics().stream().filter(m -> m.kind().equals("throughput")).toList();
        assertEquals(1, train.size(), "after a timeout the longer length is skipped");
        assertEquals("timeout", train.get(0).status());
        assertTrue(train.get(0).note().contains("L = 8"), train.get(0).note());
    }

    @Test
    void memory_freshJvmPerLength_recordsPeakAndExactAllocation() throws Exception {
        RunRecord r = probe("memory", "{lengths: [8, 32], batch_size: 2, steps: 1}");
        List<MetricsLine> lines = r.metrics().stream().filter(m -> m.kind().equals("memory")).toList();
        assertEquals(2, lines.size());
        for (MetricsLine m : lines) {
            assertTrue(m.ok(), m.note());
            assertTrue(m.measured().get("peak_minus_baseline_bytes") > 0);
        }
        double short8 = lines.get(0).values().get("allocated_bytes_per_step");
        double long32 = lines.get(1).values().get("allocated_bytes_per_step");
        assertTrue(long32 > 3 * short8, "activations grow with length: " + short8 + " -> " + long32);
    }

    @Test
    void memory_pointOverTheLimit_isRecordedAsOutOfMemoryAndTheSweepGoesOn() throws Exception {
        // L = 8 fits in 300 MB; training 64 sequences of 2048 tokens needs more (measured: ~400 MB resident)
        RunRecord r = probe("memory", "{lengths: [8, 2048, 2050], batch_size: 64, steps: 1, memory_limit_mb: 300}");
        List<MetricsLine> lines = r.metrics().stream().filter(m -> m.kind().equals("memory")).toList();
        assertEquals(3, lines.size(), "the sweep goes on after an out-of-memory point");
        assertTrue(lines.get(0).ok());
        assertEquals("oom", lines.get(1).status(), lines.get(1).toString());
        assertTrue(lines.get(1).note().contains("L = 2048"), lines.get(1).note());
        assertEquals("oom", lines.get(2).status(), "the next length was measured (and failed) too");
    }
}
