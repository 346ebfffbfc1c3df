package io.seqbench.harness.store;

import io.seqbench.harness.Mappers;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** wall_seconds counts the time the run's processes ran, not the pauses of an interrupted run. */
class RunInfoTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aRunNeverInterrupted_countsFromStartToEnd() {
        RunInfo done = RunInfo.started("id", "n", "train", T0).completed(T0.plusSeconds(90));
        assertEquals(90.0, done.wallSeconds());
        assertNull(done.resumedAt());
        assertNull(done.earlierSeconds());
    }

    @Test
    void resumedTwice_countsEachProcessToItsLastWrite_andLeavesThePausesOut() {
        // process 1: 0..30 s (last write), dead, resumed at 100 s; process 2: 100..130 s (last write), resumed at
        // 1000 s; process 3 completes at 1045 s: 30 + 30 + 45 seconds of running
        RunInfo first = RunInfo.started("id", "n", "train", T0);
        RunInfo second = first.restarted(T0.plusSeconds(100), T0.plusSeconds(30));
        assertEquals(30.0, second.earlierSeconds());
        assertEquals(T0.plusSeconds(100), second.resumedAt());
        RunInfo third = second.restarted(T0.plusSeconds(1000), T0.plusSeconds(130));
        assertEquals(60.0, third.earlierSeconds());
        RunInfo done = third.completed(T0.plusSeconds(1045));
        assertEquals(105.0, done.wallSeconds());
        assertEquals(T0, done.startedAt());
        assertEquals(T0.plusSeconds(1045), done.endedAt());
        assertEquals(105.0, third.failed(T0.plusSeconds(1045), 7, "x").wallSeconds());
    }

    @Test
    void aLastWriteBeforeTheSegmentStarted_countsNothingForIt() {
        RunInfo resumed = RunInfo.started("id", "n", "train", T0).restarted(T0.plusSeconds(50), T0.minusSeconds(5));
        assertEquals(0.0, resumed.earlierSeconds());
    }

    @Test
    void recordsWrittenBeforeTheResumeFieldsExisted_stillRead() throws Exception {
        String old = "{\"id\":\"a\",\"name\":\"n\",\"kind\":\"train\",\"status\":\"completed\","
                + "\"started_at\":\"2026-01-01T00:00:00Z\",\"ended_at\":\"2026-01-01T00:01:00Z\",\"wall_seconds\":60.0,"
                + "\"failure\":null,\"pid\":1,\"host\":\"h\"}";
        RunInfo info = Mappers.JSON.readValue(old, RunInfo.class);
        assertEquals(60.0, info.wallSeconds());
        assertNull(info.resumedAt());
        RunInfo resumed = RunInfo.started("id", "n", "train", T0).restarted(T0.plusSeconds(100), T0.plusSeconds(30))
                .completed(T0.plusSeconds(110));
        RunInfo back = Mappers.JSON.readValue(Mappers.JSON.writeValueAsString(resumed), RunInfo.class);
        assertEquals(resumed, back);
        assertEquals(40.0, back.wallSeconds());
    }
}
