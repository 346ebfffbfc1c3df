package io.seqbench.kernels.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;

/**
 * The fused scan's thread pool: a parallel loop over work units with one scratch object per pool thread. Started
 * on first use; shared by the {@link FusedSelectiveScan} instances {@link FusedSelectiveScan#withChunkLength}
 * derives.
 *
 * <p>Which thread runs which unit varies from call to call; the scan's results do not depend on it because a unit
 * never shares mutable state with another (see {@link FusedSelectiveScan}).
 */
final class ScanPool {
    private final int threads;
    private ForkJoinPool pool;

    ScanPool(int threads) {
        this.threads = threads;
    }

    /**
     * Runs body(scratch, i) for every i in [0, units); each participating thread creates one scratch object.
     * With one thread or one unit everything runs in the calling thread.
     */
    <W> void run(int units, Supplier<W> scratch, ObjIntConsumer<W> body) {
        if (units <= 0) {
            return;
        }
        if (threads == 1 || units == 1) {
            W w = scratch.get();
            for (int i = 0; i < units; i++) {
                body.accept(w, i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        int workers = Math.min(threads, units);
        List<Callable<Void>> tasks = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            tasks.add(() -> {
                W w = scratch.get();
                for (int u = next.getAndIncrement(); u < units; u = next.getAndIncrement()) {
                    body.accept(w, u);
                }
                return null;
            });
        }
        List<Future<Void>> futures = get().invokeAll(tasks);
        for (Future<Void> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during the selective scan", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    private synchronized ForkJoinPool get() {
        if (pool == null) {
            pool = new ForkJoinPool(threads);
        }
        return pool;
    }

    /** Shuts the pool down; a later {@link #run} starts a new one. */
    synchronized void close() {
        if (pool != null) {
            pool.shutdown();
            pool = null;
        }
    }
}
