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
        assertEquals(Set.of(Thread.currentThread()), threadsOfEveryUnitOnce(200, 1));
    }

    @Test
    void parallel_twoThreads_everyUnitOnce_atMostTwoThreads() {
        Set<Thread> seen = threadsOfEveryUnitOnce(5000, 2);
        assertTrue(seen.size() <= 2, seen.toString());
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

    /** Runs {@code units} units on at most {@code threads} threads, checks each ran once, returns the threads used. */
    private static Set<Thread> threadsOfEveryUnitOnce(int units, int threads) {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        AtomicIntegerArray runs = new AtomicIntegerArray(units);
        OpThreads.parallel(units, threads, i -> {
            seen.add(Thread.currentThread());
            runs.incrementAndGet(i);
            Thread.onSpinWait();
        });
        for (int i = 0; i < units; i++) {
            assertEquals(1, runs.get(i), "unit " + i);
        }
        return seen;
    }
}
