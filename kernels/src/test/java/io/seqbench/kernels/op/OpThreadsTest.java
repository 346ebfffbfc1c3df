package io.seqbench.kernels.op;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpThreadsTest {
    @Test
    void parallel_oneThread_runsEveryUnitOnTheCallingThread() {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        AtomicIntegerArray runs = new AtomicIntegerArray(200);
        OpThreads.parallel(200, 1, i -> {
            seen.add(Thread.currentThread());
            runs.incrementAndGet(i);
        });
        assertEquals(Set.of(Thread.currentThread()), seen);
        for (int i = 0; i < 200; i++) {
            assertEquals(1, runs.get(i), "unit " + i);
        }
    }

    @Test
    void parallel_twoThreads_everyUnitOnce_atMostTwoThreads() {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        AtomicIntegerArray runs = new AtomicIntegerArray(5000);
        OpThreads.parallel(5000, 2, i -> {
            seen.add(Thread.currentThread());
            runs.incrementAndGet(i);
            Thread.onSpinWait();
        });
        assertTrue(seen.size() <= 2, seen.toString());
        for (int i = 0; i < 5000; i++) {
            assertEquals(1, runs.get(i), "unit " + i);
        }
        OpThreads.parallel(0, 2, i -> {
            throw new AssertionError("no units: no calls");
        });
    }

    @Test
    void threads_isTheCountNd4jIsPinnedTo() {
        int before = Nd4j.getEnvironment().maxThreads();
        try {
            Nd4j.getEnvironment().setMaxThreads(1);
            assertEquals(1, OpThreads.threads());
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            OpThreads.parallel(1000, i -> seen.add(Thread.currentThread()));
            assertEquals(Set.of(Thread.currentThread()), seen, "pinned to 1: the calling thread only");
        } finally {
            Nd4j.getEnvironment().setMaxThreads(before);
        }
    }
}
