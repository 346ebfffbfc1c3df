package io.seqbench.harness.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryGuardTest {
    @Test
    void collectsOnlyAboveTheThreshold() {
        long[] rss = {100};
        int[] collected = {0};
        MemoryGuard guard = new MemoryGuard(1000, () -> rss[0], () -> collected[0]++);
        guard.afterStep();
        assertEquals(0, collected[0]);
        rss[0] = 1001;
        guard.afterStep();
        guard.afterStep();
        assertEquals(2, collected[0]);
        assertEquals(2, guard.collections());
    }

    @Test
    void thresholdZeroTurnsItOff() {
        int[] collected = {0};
        MemoryGuard guard = new MemoryGuard(0, () -> Long.MAX_VALUE, () -> collected[0]++);
        guard.afterStep();
        assertEquals(0, collected[0]);
    }

    @Test
    void readsThisProcessResidentSet() {
        assertTrue(io.seqbench.harness.run.ResidentMemory.ofThisProcess() > 1 << 20, "VmRSS of a JVM is above 1 MB");
    }
}
