package io.seqbench.harness.probe;

import io.seqbench.harness.Mappers;
import io.seqbench.harness.spec.ProbeSpec;
import io.seqbench.harness.spec.SpecReader;
import io.seqbench.harness.store.MetricsLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probes' child processes: normal measurements, and the limits that keep one bad point from ending a sweep. */
class ProbesTest {
    @TempDir
    Path dir;

    private static ProbeSpec spec(String model, String probe) {
        return (ProbeSpec) SpecReader.parseAny("kind: throughput\nmodel: " + model + "\nprobe: " + probe + "\n",
                List.of(), "test");
    }

    @Test
    void throughput_tinyModel_measuresEveryKindAtEveryLength() throws Exception {
        ProbeSpec spec = spec("{type: lstm, d_model: 8, layers: 1}",
                "{lengths: [8, 16], batch_size: 2, warmup: 1, repeats: 5, decode_tokens: 5}");
        List<MetricsLine> lines = new ArrayList<>();
        new ThroughputProbe(spec, dir, lines::add, m -> { }).run();
        assertEquals(6, lines.size(), lines.toString());
        for (MetricsLine line : lines) {
            assertTrue(line.ok(), line.toString());
            assertTrue(line.measured().get("median_seconds") > 0, line.toString());
            assertEquals(5.0, line.measured().get("repeats"), line.toString());
        }
        MetricsLine decode = lines.stream().filter(l -> l.kind().equals("decode") && l.length() == 16).findFirst()
                .orElseThrow();
        assertEquals(16.0, decode.values().get("state_elements"));   // LSTM: h and c of 8 channels, any context
    }

    @Test
    void child_pastTheMemoryLimit_isStoppedAndSaysSo() throws Exception {
        ProbeChild.Result r = ProbeChild.run(Hog.class, List.of("x", "8", "throughput"), 1, 300L << 20, 60);
        assertEquals(ProbeChild.Ending.OVER_MEMORY, r.ending(), r.output());
        assertTrue(r.peakRss() > 300L << 20);
    }

    @Test
    void child_pastItsDeadline_isStopped() throws Exception {
        ProbeChild.Result r = ProbeChild.run(Sleeper.class, List.of(), 1, 4096L << 20, 2);
        assertEquals(ProbeChild.Ending.OVER_TIME, r.ending(), r.output());
    }

    /**
     * A point whose training fits but whose prefill runs out of memory: the prefill is recorded as out of memory
     * (after a retry as a fresh child's first point) and skipped at longer lengths, training and decoding go on at
     * every length.
     */
    @Test
    void throughput_oneMeasurementOverTheLimit_failsAloneAndTheSweepGoesOn() throws Exception {
        ProbeSpec spec = spec("{type: lstm, d_model: 8, layers: 1}",
                "{lengths: [8, 16], batch_size: 2, repeats: 5, decode_tokens: 5, memory_limit_mb: 300}");
        List<MetricsLine> lines = new ArrayList<>();
        new ThroughputProbe(spec, dir, lines::add, m -> { }, Hog.class).run();
        List<String> seen = points(lines);
        assertEquals(List.of("throughput@8:ok", "prefill@8:oom", "decode@8:ok", "throughput@16:ok", "decode@16:ok"),
                seen);
        assertTrue(lines.get(1).note().contains("out of memory at L = 8"), lines.get(1).note());
    }

    /**
     * A child that runs out of memory only because it already measured a shorter length (garbage piling up): the
     * point is retried in a fresh child, where it fits, and nothing is recorded as out of memory.
     */
    @Test
    void throughput_failureOfAChildThatIsNotFresh_isRetriedFresh() throws Exception {
        ProbeSpec spec = spec("{type: lstm, d_model: 8, layers: 1}",
                "{lengths: [8, 16], batch_size: 2, repeats: 5, decode_tokens: 5, memory_limit_mb: 300}");
        List<MetricsLine> lines = new ArrayList<>();
        new ThroughputProbe(spec, dir, lines::add, m -> { }, Leaky.class).run();
        List<String> seen = points(lines);
        assertEquals(List.of("throughput@8:ok", "prefill@8:ok", "decode@8:ok", "throughput@16:ok", "prefill@16:ok",
                "decode@16:ok"), seen);
    }

    /** Each line as kind@length:status ("ok" when it measured). */
    private static List<String> points(List<MetricsLine> lines) {
        return lines.stream().map(l -> l.kind() + "@" + l.length() + ":" + (l.ok() ? "ok" : l.status())).toList();
    }

    /** Prints one successful point line, as ThroughputPoint does. */
    static void emit(String kind, int length) throws java.io.IOException {
        var writer = Mappers.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        java.util.Map<String, Double> measured = java.util.Map.of("median_seconds", 0.001, "tokens_per_second",
                1000.0, "repeats", 5.0);
        System.out.println(ThroughputPoint.LINE + writer.writeValueAsString(
                new MetricsLine(0, kind, length, java.util.Map.of(), measured, null, null)));
        System.out.flush();
    }

    /** Speaks the point protocol: every measurement succeeds, but the second length of a child holds 1 GB first. */
    public static final class Leaky {
        public static void main(String[] args) throws Exception {
            Set<String> skip = args.length > 2 ? Set.of(args[2].split(",")) : Set.of();
            boolean first = true;
            for (String l : args[1].split(",")) {
                int length = Integer.parseInt(l);
                if (!first) {
                    hold1Gb();
                }
                first = false;
                for (String kind : ThroughputPoint.KINDS) {
                    if (!skip.contains(kind) && !skip.contains(ThroughputPoint.point(kind, length))) {
                        emit(kind, length);
                    }
                }
            }
        }
    }

    static void hold1Gb() throws InterruptedException {
        List<ByteBuffer> held = new ArrayList<>();
        for (int i = 0; i < 64; i++) {              // 1 GB, touched page by page
            ByteBuffer b = ByteBuffer.allocateDirect(16 << 20);
            for (int j = 0; j < b.capacity(); j += 4096) {
                b.put(j, (byte) 1);
            }
            held.add(b);
        }
        Thread.sleep(60_000);
    }

    /**
     * Speaks the point protocol: at each length a fake training line, then 1 GB held for the prefill, then a decode
     * line.
     */
    public static final class Hog {
        public static void main(String[] args) throws Exception {
            Set<String> skip = args.length > 2 ? Set.of(args[2].split(",")) : Set.of();
            for (String l : args[1].split(",")) {
                int length = Integer.parseInt(l);
                if (!skipped(skip, "throughput", length)) {
                    emit("throughput", length);
                }
                if (!skipped(skip, "prefill", length)) {
                    hold1Gb();
                }
                if (!skipped(skip, "decode", length)) {
                    emit("decode", length);
                }
            }
        }

        private static boolean skipped(Set<String> skip, String kind, int length) {
            return skip.contains(kind) || skip.contains(ThroughputPoint.point(kind, length));
        }
    }

    public static final class Sleeper {
        public static void main(String[] args) throws Exception {
            Thread.sleep(120_000);
        }
    }
}
