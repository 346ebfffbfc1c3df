package io.seqbench.kernels.scan;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;

/**
 * The fused float32 selective scan on the CPU: one pass per (batch, channel) row that discretizes, scans,
 * contracts with C, adds D·u and applies the gate, without ever materialising a (batch, channels, length, state)
 * tensor.
 *
 * <h2>Forward</h2>
 * Work is spread over a pool of {@link #threads()} threads. Each row stages its u and Δ (bias and softplus
 * applied, vectorised over time) into per-thread scratch and steps through time with the state h of all n in
 * registers or L1; B and C are read from a per-(batch, group) transposed (length, state) copy shared by all
 * channels of the group. With the Vector API, the channels of a group are scanned {@link RowKernel#blockWidth()}
 * at a time, one SIMD lane per channel (Δ and u transposed to (length, lanes), B and C broadcast), which needs
 * no horizontal sum per step; channels left over in a group are scanned row by row, SIMD over the state axis.
 * With {@code checkpoints}, the state at the start of every chunk of {@link #chunkLength()} steps is saved:
 * (batch, channels, ceil(length / chunk), state) floats.
 *
 * <h2>Backward</h2>
 * Chunk by chunk from the end, a row recomputes its states from the chunk's checkpoint (chunk·state floats of
 * scratch), then runs the adjoint sweep backwards through the chunk. Extra memory is O(batch·channels·state·
 * length/chunk) for checkpoints plus, for dB and dC (which sum over channels), one (length, state) accumulator
 * per work unit of contiguous channels: at most 8 units per (batch, group), fixed by the shape alone.
 *
 * <h2>Parallelism and determinism</h2>
 * Every row or block (forward) or unit of rows (backward) is computed by one thread in a fixed order, and
 * cross-row sums (dA, dD, ddelta_bias over the batch, dB and dC over units) are added in a fixed order
 * afterwards: results are bitwise identical for any thread count. When there are fewer rows than threads and the
 * sequence spans at least two chunks, the chunks of each row run in parallel instead (a three-pass scan: local
 * scans from zero, a sequential carry over chunk boundaries, then the chunks again from their true start
 * states); that path is deterministic for a fixed chunk length but rounds differently from the row path.
 *
 * <h2>SIMD</h2>
 * With {@code --add-modules jdk.incubator.vector} the inner loops use the Vector API ({@link VectorRowKernel});
 * otherwise a scalar kernel with the same formulas runs, slower, and a warning says so. {@link #backend()}
 * reports which one runs. In the row kernels the state axis is padded with zeros to a multiple of the vector
 * width (padded lanes carry h = 0 and cost time, not correctness).
 *
 * <h2>Memory access</h2>
 * Inputs are read in place from their buffers (heap arrays or ND4J's direct memory, see {@link ScanBuffers}):
 * one row at a time is copied into L1-sized scratch; no input is copied whole.
 */
public final class FusedSelectiveScan implements ScanImplementation {
    private static final Logger LOG = LoggerFactory.getLogger(FusedSelectiveScan.class);

    /** Default steps per checkpoint chunk. */
    public static final int DEFAULT_CHUNK_LENGTH = 256;
    /** System property that sets the default thread count (otherwise the number of available processors). */
    public static final String THREADS_PROPERTY = "seqbench.scan.threads";
    /** Most backward work units per (batch, group); fixed so results do not depend on the thread count. */
    static final int MAX_UNITS_PER_GROUP = 8;
    /** Backward units aimed for over the whole call (before the per-group cap). */
    static final int TARGET_UNITS = 64;

    private static final RowKernel DEFAULT_KERNEL = selectKernel();
    private static volatile FusedSelectiveScan shared;

    /** How the driver chooses between the row-parallel and the chunk-parallel path (tests force one). */
    enum ChunkParallelism { AUTO, NEVER, ALWAYS }

    private final int threads;
    private final int chunkLength;
    private final RowKernel kernel;
    private final ChunkParallelism chunkParallelism;
    private final ScanPool pool;

    private FusedSelectiveScan(int threads, int chunkLength, RowKernel kernel, ChunkParallelism mode) {
        this(threads, chunkLength, kernel, mode, new ScanPool(threads));
    }

    private FusedSelectiveScan(int threads, int chunkLength, RowKernel kernel, ChunkParallelism mode,
                               ScanPool pool) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        if (chunkLength < 1) {
            throw new IllegalArgumentException("chunkLength must be ≥ 1, got " + chunkLength);
        }
        this.threads = threads;
        this.chunkLength = chunkLength;
        this.kernel = kernel;
        this.chunkParallelism = mode;
        this.pool = pool;
    }

    /**
     * This scan with another checkpoint chunk length, sharing its thread pool.
     *
     * @param chunkLength steps between checkpoints, ≥ 1
     */
    public FusedSelectiveScan withChunkLength(int chunkLength) {
        return chunkLength == this.chunkLength ? this
                : new FusedSelectiveScan(threads, chunkLength, kernel, chunkParallelism, pool);
    }

    /**
     * A scan with its own pool of {@code threads} threads and the default chunk length.
     *
     * @param threads the number of threads, ≥ 1
     */
    public static FusedSelectiveScan create(int threads) {
        return new FusedSelectiveScan(threads, DEFAULT_CHUNK_LENGTH, DEFAULT_KERNEL, ChunkParallelism.AUTO);
    }

    /**
     * A scan with its own pool and checkpoint chunk length.
     *
     * @param threads     the number of threads, ≥ 1
     * @param chunkLength steps between checkpoints, ≥ 1
     */
    public static FusedSelectiveScan create(int threads, int chunkLength) {
        return new FusedSelectiveScan(threads, chunkLength, DEFAULT_KERNEL, ChunkParallelism.AUTO);
    }

    /** For tests: a chosen kernel and chunk-parallel policy. */
    static FusedSelectiveScan create(int threads, int chunkLength, RowKernel kernel, ChunkParallelism mode) {
        return new FusedSelectiveScan(threads, chunkLength, kernel, mode);
    }

    /**
     * The instance the SameDiff ops and {@link ScanImpl#FUSED} use, with {@link #defaultThreads()} threads.
     */
    public static FusedSelectiveScan shared() {
        FusedSelectiveScan s = shared;
        if (s == null) {
            synchronized (FusedSelectiveScan.class) {
                s = shared;
                if (s == null) {
                    s = create(defaultThreads());
                    shared = s;
                }
            }
        }
        return s;
    }

    /**
     * Pins the thread count of {@link #shared()} (the harness records it). Calls already running finish on the
     * previous pool, whose idle threads then exit on their own.
     *
     * @param threads the number of threads, ≥ 1
     */
    public static synchronized void setSharedThreads(int threads) {
        if (shared == null || shared.threads != threads) {
            shared = create(threads);
        }
    }

    /** The {@value #THREADS_PROPERTY} system property when set, otherwise the number of available processors. */
    public static int defaultThreads() {
        String value = System.getProperty(THREADS_PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("system property " + THREADS_PROPERTY + " must be an integer ≥ 1, got '"
                + value + "'");
    }

    /**
     * Which inner loops run: "Vector API (jdk.incubator.vector), 16 float lanes" or "scalar Java (no
     * jdk.incubator.vector)". For run records and logs.
     */
    public static String backend() {
        return DEFAULT_KERNEL.description();
    }

    /** True when the Vector API kernel runs (the JVM was started with {@code --add-modules jdk.incubator.vector}). */
    public static boolean vectorized() {
        return !(DEFAULT_KERNEL instanceof ScalarRowKernel);
    }

    /** The number of threads this scan uses. */
    public int threads() {
        return threads;
    }

    /** Steps per checkpoint chunk. */
    public int chunkLength() {
        return chunkLength;
    }

    /** Checkpoints per row for a sequence of {@code length} steps: ceil(length / chunk). */
    public int checkpointsPerRow(int length) {
        return (length + chunkLength - 1) / chunkLength;
    }

    /** Releases the thread pool (an instance can still be used afterwards; it starts a new pool). */
    public void close() {
        pool.close();
    }

    // ------------------------------------------------------------------ array API

    /**
     * The forward pass on host arrays.
     *
     * @param in              the inputs
     * @param returnLastState whether to return the last state (batch, channels, state)
     */
    @Override
    public ScanOutputs forward(ScanInputs in, boolean returnLastState) {
        ScanShape s = in.shape();
        float[] out = new float[(int) s.sequenceElements()];
        float[] last = returnLastState ? new float[s.batch() * s.channels() * s.state()] : null;
        forward(ScanBuffers.of(in), FloatBuffer.wrap(out), last == null ? null : FloatBuffer.wrap(last), null);
        return new ScanOutputs(out, last);
    }

    /**
     * The backward pass on host arrays (it first recomputes the checkpoints with a state-only forward pass).
     *
     * @param in   the inputs of the forward pass
     * @param dout (batch, channels, length), the gradient of the loss with respect to {@code out}
     */
    @Override
    public ScanGradients backward(ScanInputs in, float[] dout) {
        return backward(in, dout, null);
    }

    /**
     * The backward pass on host arrays when the loss also depends on the last state.
     *
     * @param in         the inputs of the forward pass
     * @param dout       (batch, channels, length)
     * @param dLastState (batch, channels, state), or {@code null}
     */
    public ScanGradients backward(ScanInputs in, float[] dout, float[] dLastState) {
        ScanGradients g = ScanGradientBuffers.allocate(in);
        backward(ScanBuffers.of(in), null, FloatBuffer.wrap(dout),
                dLastState == null ? null : FloatBuffer.wrap(dLastState), ScanGradientBuffers.of(g));
        return g;
    }

    // ------------------------------------------------------------------ buffer API

    /**
     * The forward pass on buffers (heap or direct); outputs are written in place.
     *
     * @param in          the inputs
     * @param out         (batch, channels, length), written; {@code null} to compute only states/checkpoints
     * @param lastState   (batch, channels, state), written when not {@code null}
     * @param checkpoints (batch, channels, {@link #checkpointsPerRow}(length), state): the state at the start of
     *                    each chunk, written when not {@code null}, for {@link #backward}
     */
    public void forward(ScanBuffers in, FloatBuffer out, FloatBuffer lastState, FloatBuffer checkpoints) {
        Plan p = new Plan(in);
        ScanBuffers.require("out", out, p.s.sequenceElements(), false);
        ScanBuffers.require("lastState", lastState, (long) p.rows * p.n, false);
        ScanBuffers.require("checkpoints", checkpoints, (long) p.rows * p.nc * p.n, false);
        p.prepare();
        forwardAll(p, out, lastState, checkpoints);
    }

    /** The forward over every row, by the path the shape and thread count select. */
    private void forwardAll(Plan p, FloatBuffer out, FloatBuffer lastState, FloatBuffer checkpoints) {
        if (useChunks(p)) {
            Worker w = new Worker(p);
            for (int r = 0; r < p.rows; r++) {
                forwardRowChunked(p, w, r, out, lastState, checkpoints);
            }
            return;
        }
        int width = kernel.blockWidth();
        if (width > 1 && p.channelsPerGroup >= width) {
            // blocks of `width` channels of one group, then the group's remaining channels row by row
            int blocks = p.channelsPerGroup / width;
            int perGroup = blocks + p.channelsPerGroup % width;
            int units = p.batch * p.groups * perGroup;
            pool.run(units, () -> new Worker(p), (w, unit) -> {
                int b = unit / (p.groups * perGroup);
                int g = unit / perGroup % p.groups;
                int j = unit % perGroup;
                if (j < blocks) {
                    forwardBlock(p, w, b, g * p.channelsPerGroup + j * width, out, lastState, checkpoints);
                } else {
                    int d = g * p.channelsPerGroup + blocks * width + (j - blocks);
                    forwardRow(p, w, b * p.channels + d, out, lastState, checkpoints);
                }
            });
            return;
        }
        pool.run(p.rows, () -> new Worker(p), (w, r) -> forwardRow(p, w, r, out, lastState, checkpoints));
    }

    /**
     * The backward pass on buffers: the gradients of Σ dout·out (+ Σ dLastState·lastState).
     *
     * @param in          the inputs of the forward pass
     * @param checkpoints the forward pass's checkpoints, or {@code null} to recompute them here
     * @param dout        (batch, channels, length)
     * @param dLastState  (batch, channels, state), or {@code null}
     * @param grads       where the gradients are written
     */
    public void backward(ScanBuffers in, FloatBuffer checkpoints, FloatBuffer dout, FloatBuffer dLastState,
                         ScanGradientBuffers grads) {
        Plan p = new Plan(in);
        ScanBuffers.require("dout", dout, p.s.sequenceElements(), true);
        ScanBuffers.require("dLastState", dLastState, (long) p.rows * p.n, false);
        ScanBuffers.require("checkpoints", checkpoints, (long) p.rows * p.nc * p.n, false);
        grads.requireMatches(in);
        p.prepare();
        FloatBuffer ckpt = checkpoints;
        if (ckpt == null) {
            ckpt = FloatBuffer.allocate(p.rows * p.nc * p.n);
            forwardAll(p, null, null, ckpt);
        }
        FloatBuffer ck = ckpt;
        Units units = new Units(p);
        float[] dArows = new float[p.rows * p.npad];
        float[] dDrows = new float[p.rows];
        float[] dBiasRows = new float[p.rows];
        RowPartials partials = new RowPartials(dArows, dDrows, dBiasRows);
        if (useChunks(p)) {
            Worker w = new Worker(p);
            for (int unit = 0; unit < units.count; unit++) {
                for (int d = units.firstChannel(unit); d < units.endChannel(unit); d++) {
                    int r = units.batch(unit) * p.channels + d;
                    backwardRowChunked(p, w, r, ck, dout, dLastState, grads, units, unit, partials);
                }
            }
        } else {
            pool.run(units.count, () -> new Worker(p), (w, unit) -> {
                for (int d = units.firstChannel(unit); d < units.endChannel(unit); d++) {
                    int r = units.batch(unit) * p.channels + d;
                    backwardRow(p, w, r, ck, dout, dLastState, grads, units, unit, partials);
                }
            });
        }
        reduceGradients(p, units, partials, grads);
    }

    // ------------------------------------------------------------------ rows

    private void forwardRow(Plan p, Worker w, int r, FloatBuffer out, FloatBuffer lastState, FloatBuffer ckpt) {
        stageRow(p, w, r, out != null);
        java.util.Arrays.fill(w.h, 0f);
        for (int k = 0; k < p.nc; k++) {
            int t0 = k * chunkLength;
            int t1 = Math.min(p.length, t0 + chunkLength);
            if (ckpt != null) {
                ckpt.put((r * p.nc + k) * p.n, w.h, 0, p.n);
            }
            kernel.scan(w.row, t0, t1, w.h, out == null ? null : w.ys);
        }
        finishForwardRow(p, w, r, out, lastState);
    }

    /**
     * The forward of {@link RowKernel#blockWidth()} channels d0, d0 + 1, … of batch b (all in one group) at once:
     * their Δ and u are transposed to (length, width) so each SIMD lane scans one channel.
     */
    private void forwardBlock(Plan p, Worker w, int b, int d0, FloatBuffer out, FloatBuffer lastState,
                              FloatBuffer ckpt) {
        int width = kernel.blockWidth();
        int L = p.length;
        Worker.Block blk = w.block();
        for (int lane = 0; lane < width; lane++) {
            int d = d0 + lane;
            int r = b * p.channels + d;
            p.in.delta().get(r * L, w.raw, 0, L);
            kernel.deltaForward(w.raw, p.bias(d), p.in.deltaSoftplus(), w.dt, L);
            System.arraycopy(w.dt, 0, blk.rows, lane * L, L);
            p.in.u().get(r * L, blk.uRows, lane * L, L);
            for (int n = 0; n < p.n; n++) {
                blk.aT[n * width + lane] = p.aPad[d * p.npad + n];
            }
        }
        kernel.toLanes(blk.rows, L, blk.dtT);
        kernel.toLanes(blk.uRows, L, blk.uT);
        ScanBlock sb = blk.scan;
        sb.npad = p.npad;
        sb.state = p.n;
        sb.bT = p.bT;
        sb.cT = p.cT;
        sb.bcOff = (b * p.groups + d0 / p.channelsPerGroup) * L * p.npad;
        java.util.Arrays.fill(blk.h, 0f);
        for (int k = 0; k < p.nc; k++) {
            int t0 = k * chunkLength;
            int t1 = Math.min(L, t0 + chunkLength);
            if (ckpt != null) {
                putTransposed(blk.h, width, p.n, ckpt, (b * p.channels + d0) * p.nc + k, p.nc * p.n);
            }
            kernel.scanBlock(sb, t0, t1, blk.h, blk.ysT);
        }
        if (lastState != null) {
            putTransposed(blk.h, width, p.n, lastState, b * p.channels + d0, p.n);
        }
        if (out != null) {
            kernel.fromLanes(blk.ysT, L, blk.rows);
            for (int lane = 0; lane < width; lane++) {
                int d = d0 + lane;
                int r = b * p.channels + d;
                System.arraycopy(blk.rows, lane * L, w.ys, 0, L);
                System.arraycopy(blk.uRows, lane * L, w.u, 0, L);
                if (p.in.z() != null) {
                    p.in.z().get(r * L, w.z, 0, L);
                }
                kernel.outputs(w.ys, w.u, p.dSkip(d), p.in.z() == null ? null : w.z, w.out, L);
                out.put(r * L, w.out, 0, L);
            }
        }
    }

    /**
     * Writes h (state, width) of a block as each lane's row of {@code state} floats: lane i at index
     * (first·state + i·stride) of {@code target}, where {@code first} is the block's first row index in units of
     * state-sized records and {@code stride} the distance between consecutive channels' records.
     */
    private static void putTransposed(float[] h, int width, int state, FloatBuffer target, int first, int stride) {
        for (int lane = 0; lane < width; lane++) {
            int base = first * state + lane * stride;
            for (int n = 0; n < state; n++) {
                target.put(base + n, h[n * width + lane]);
            }
        }
    }

    private void finishForwardRow(Plan p, Worker w, int r, FloatBuffer out, FloatBuffer lastState) {
        if (out != null) {
            int d = r % p.channels;
            kernel.outputs(w.ys, w.u, p.dSkip(d), p.in.z() == null ? null : w.z, w.out, p.length);
            out.put(r * p.length, w.out, 0, p.length);
        }
        if (lastState != null) {
            lastState.put(r * p.n, w.h, 0, p.n);
        }
    }

    /** The forward of one row with its chunks in parallel (three passes; see the class documentation). */
    private void forwardRowChunked(Plan p, Worker w, int r, FloatBuffer out, FloatBuffer lastState,
                                   FloatBuffer ckpt) {
        stageRow(p, w, r, out != null);
        int np = p.npad;
        float[] ends = new float[p.nc * np];
        // pass 1: each chunk but the last scans from h = 0
        pool.run(p.nc - 1, () -> new float[np], (h, k) -> {
            java.util.Arrays.fill(h, 0f);
            kernel.scan(w.row, k * chunkLength, Math.min(p.length, (k + 1) * chunkLength), h, null);
            System.arraycopy(h, 0, ends, k * np, np);
        });
        // pass 2: true start states, S_{k+1} = Π_{t in k} Ā_t · S_k + E_k
        float[] starts = new float[p.nc * np];
        float[] decay = new float[np];
        for (int k = 0; k + 1 < p.nc; k++) {
            chunkDecay(p, w.row, k, decay);
            for (int n = 0; n < np; n++) {
                starts[(k + 1) * np + n] = Math.fma(decay[n], starts[k * np + n], ends[k * np + n]);
            }
        }
        if (ckpt != null) {
            for (int k = 0; k < p.nc; k++) {
                ckpt.put((r * p.nc + k) * p.n, starts, k * np, p.n);
            }
        }
        // pass 3: every chunk from its start state, with outputs
        boolean withOutputs = out != null;
        pool.run(p.nc, () -> new float[np], (h, k) -> {
            System.arraycopy(starts, k * np, h, 0, np);
            kernel.scan(w.row, k * chunkLength, Math.min(p.length, (k + 1) * chunkLength), h,
                    withOutputs ? w.ys : null);
            if (k == p.nc - 1) {
                System.arraycopy(h, 0, w.h, 0, np);
            }
        });
        finishForwardRow(p, w, r, out, lastState);
    }

    /** decay[n] = Π_{t in chunk k} exp(Δ_t A_n) = exp(A_n Σ_t Δ_t). */
    private void chunkDecay(Plan p, ScanRow row, int k, float[] decay) {
        float sum = 0;
        for (int t = k * chunkLength; t < Math.min(p.length, (k + 1) * chunkLength); t++) {
            sum += row.dt[t];
        }
        for (int n = 0; n < p.npad; n++) {
            decay[n] = ScanMath.exp(row.a[row.aOff + n] * sum);
        }
    }

    private void backwardRow(Plan p, Worker w, int r, FloatBuffer ckpt, FloatBuffer dout, FloatBuffer dLast,
                             ScanGradientBuffers grads, Units units, int unit, RowPartials partials) {
        stageBackwardRow(p, w, r, dout, dLast);
        int d = r % p.channels;
        float dSkip = p.dSkip(d);
        float[] z = p.in.z() == null ? null : w.z;
        float[] dBT = units.dBT[unit];
        float[] dCT = units.dCT[unit];
        for (int k = p.nc - 1; k >= 0; k--) {
            int t0 = k * chunkLength;
            int t1 = Math.min(p.length, t0 + chunkLength);
            loadCheckpoint(p, ckpt, r, k, w.hs);
            kernel.recompute(w.row, t0, t1, w.hs, w.decs, w.ys);
            kernel.gateBackward(w.dout, w.ys, w.u, dSkip, z, w.dy, w.dz, t0, t1);
            kernel.reverse(w.row, w.dy, t0, t1, w.hs, w.decs, w.g, w.dA, dBT, dCT, 0, w.dDelta, w.duScan);
        }
        System.arraycopy(w.dA, 0, partials.dA, r * p.npad, p.npad);
        finishBackwardRow(p, w, r, grads, partials);
    }

    /** The backward of one row with its chunks in parallel (three passes over the adjoint). */
    private void backwardRowChunked(Plan p, Worker w, int r, FloatBuffer ckpt, FloatBuffer dout, FloatBuffer dLast,
                                    ScanGradientBuffers grads, Units units, int unit, RowPartials partials) {
        stageBackwardRow(p, w, r, dout, dLast);
        int np = p.npad;
        int d = r % p.channels;
        float dSkip = p.dSkip(d);
        float[] z = p.in.z() == null ? null : w.z;
        kernel.gateBackward(w.dout, null, w.u, dSkip, z, w.dy, null, 0, p.length);
        // pass 1: the adjoint each chunk k ≥ 1 sends to the previous one, from a zero carry
        float[] local = new float[p.nc * np];
        pool.run(p.nc - 1, () -> null, (unused, i) -> {
            int k = i + 1;
            float[] g = new float[np];
            kernel.adjoint(w.row, w.dy, k * chunkLength, Math.min(p.length, (k + 1) * chunkLength), g);
            System.arraycopy(g, 0, local, k * np, np);
        });
        // pass 2: carries into each chunk, from the last one backwards
        float[] carry = new float[p.nc * np];
        System.arraycopy(w.g, 0, carry, (p.nc - 1) * np, np);
        float[] decay = new float[np];
        for (int k = p.nc - 1; k >= 1; k--) {
            chunkDecay(p, w.row, k, decay);
            for (int n = 0; n < np; n++) {
                carry[(k - 1) * np + n] = Math.fma(decay[n], carry[k * np + n], local[k * np + n]);
            }
        }
        // pass 3: every chunk with its carry; dA per chunk, summed in chunk order below
        float[] dAchunks = new float[p.nc * np];
        float[] dBT = units.dBT[unit];
        float[] dCT = units.dCT[unit];
        pool.run(p.nc, () -> new ChunkScratch(p, chunkLength), (cs, k) -> {
            int t0 = k * chunkLength;
            int t1 = Math.min(p.length, t0 + chunkLength);
            loadCheckpoint(p, ckpt, r, k, cs.hs);
            kernel.recompute(w.row, t0, t1, cs.hs, cs.decs, w.ys);
            kernel.gateBackward(w.dout, w.ys, w.u, dSkip, z, w.dy, w.dz, t0, t1);
            System.arraycopy(carry, k * np, cs.g, 0, np);
            java.util.Arrays.fill(cs.dA, 0f);
            kernel.reverse(w.row, w.dy, t0, t1, cs.hs, cs.decs, cs.g, cs.dA, dBT, dCT, 0, w.dDelta, w.duScan);
            System.arraycopy(cs.dA, 0, dAchunks, k * np, np);
        });
        for (int k = p.nc - 1; k >= 0; k--) {
            for (int n = 0; n < np; n++) {
                partials.dA[r * np + n] += dAchunks[k * np + n];
            }
        }
        finishBackwardRow(p, w, r, grads, partials);
    }

    private void finishBackwardRow(Plan p, Worker w, int r, ScanGradientBuffers grads, RowPartials partials) {
        int d = r % p.channels;
        int L = p.length;
        float dSkip = p.dSkip(d);
        double dD = 0;
        for (int t = 0; t < L; t++) {
            w.duScan[t] = Math.fma(dSkip, w.dy[t], w.duScan[t]);
            dD += (double) w.dy[t] * w.u[t];
        }
        partials.dD[r] = (float) dD;
        kernel.deltaBackward(w.raw, p.bias(d), p.in.deltaSoftplus(), w.dDelta, L);
        double dBias = 0;
        for (int t = 0; t < L; t++) {
            dBias += w.dDelta[t];
        }
        partials.dBias[r] = (float) dBias;
        grads.du().put(r * L, w.duScan, 0, L);
        grads.ddelta().put(r * L, w.dDelta, 0, L);
        if (grads.dz() != null) {
            grads.dz().put(r * L, w.dz, 0, L);
        }
    }

    // ------------------------------------------------------------------ staging and reduction

    /** Loads the row's inputs into the worker's scratch and points its {@link ScanRow} at them. */
    private void stageRow(Plan p, Worker w, int r, boolean withGate) {
        int L = p.length;
        int d = r % p.channels;
        int b = r / p.channels;
        p.in.delta().get(r * L, w.raw, 0, L);
        kernel.deltaForward(w.raw, p.bias(d), p.in.deltaSoftplus(), w.dt, L);
        p.in.u().get(r * L, w.u, 0, L);
        if (withGate && p.in.z() != null) {
            p.in.z().get(r * L, w.z, 0, L);
        }
        ScanRow row = w.row;
        row.npad = p.npad;
        row.a = p.aPad;
        row.aOff = d * p.npad;
        row.bT = p.bT;
        row.cT = p.cT;
        row.bcOff = (b * p.groups + d / p.channelsPerGroup) * L * p.npad;
        row.dt = w.dt;
        row.u = w.u;
    }

    private void stageBackwardRow(Plan p, Worker w, int r, FloatBuffer dout, FloatBuffer dLast) {
        stageRow(p, w, r, true);
        dout.get(r * p.length, w.dout, 0, p.length);
        java.util.Arrays.fill(w.g, 0f);
        if (dLast != null) {
            dLast.get(r * p.n, w.g, 0, p.n);
        }
        java.util.Arrays.fill(w.dA, 0f);
    }

    private static void loadCheckpoint(Plan p, FloatBuffer ckpt, int r, int k, float[] hs) {
        ckpt.get((r * p.nc + k) * p.n, hs, 0, p.n);
        for (int n = p.n; n < p.npad; n++) {
            hs[n] = 0f;
        }
    }

    /** Sums the per-unit and per-row partial gradients in a fixed order and writes the cross-row gradients. */
    private void reduceGradients(Plan p, Units units, RowPartials partials, ScanGradientBuffers grads) {
        int L = p.length;
        int np = p.npad;
        pool.run(p.batch * p.groups, () -> new float[L], (row, bg) -> {
            for (int which = 0; which < 2; which++) {
                float[][] parts = which == 0 ? units.dBT : units.dCT;
                FloatBuffer target = which == 0 ? grads.db() : grads.dc();
                for (int n = 0; n < p.n; n++) {
                    for (int t = 0; t < L; t++) {
                        float sum = 0;
                        for (int j = 0; j < units.perGroup; j++) {
                            sum += parts[bg * units.perGroup + j][t * np + n];
                        }
                        row[t] = sum;
                    }
                    target.put((bg * p.n + n) * L, row, 0, L);
                }
            }
        });
        float[] dA = new float[p.channels * p.n];
        float[] dD = new float[p.channels];
        float[] dBias = new float[p.channels];
        for (int b = 0; b < p.batch; b++) {
            for (int d = 0; d < p.channels; d++) {
                int r = b * p.channels + d;
                for (int n = 0; n < p.n; n++) {
                    dA[d * p.n + n] += partials.dA[r * np + n];
                }
                dD[d] += partials.dD[r];
                dBias[d] += partials.dBias[r];
            }
        }
        grads.da().put(0, dA);
        if (grads.dd() != null) {
            grads.dd().put(0, dD);
        }
        if (grads.ddeltaBias() != null) {
            grads.ddeltaBias().put(0, dBias);
        }
    }

    private boolean useChunks(Plan p) {
        return switch (chunkParallelism) {
            case NEVER -> false;
            case ALWAYS -> p.nc >= 2;
            case AUTO -> p.nc >= 2 && p.rows < threads;
        };
    }

    private static RowKernel selectKernel() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                // by reflection, so that nothing links against jdk.incubator.vector when the module is absent
                RowKernel k = (RowKernel) Class.forName(FusedSelectiveScan.class.getPackageName() + ".VectorRowKernel")
                        .getDeclaredConstructor().newInstance();
                LOG.info("selective scan: {}", k.description());
                return k;
            } catch (LinkageError | ReflectiveOperationException | RuntimeException e) {
                LOG.warn("selective scan: the Vector API kernel failed to load ({}); using the scalar kernel", e.toString());
            }
        } else {
            LOG.warn("selective scan: jdk.incubator.vector is not in this JVM, so the fused scan runs its scalar"
                    + " kernel (same results within rounding, several times slower). Start the JVM with"
                    + " --add-modules jdk.incubator.vector for the SIMD kernel.");
        }
        return new ScalarRowKernel();
    }

    // ------------------------------------------------------------------ data

    /** Per-call sizes and the shared scratch: padded A and the transposed B and C. */
    private final class Plan {
        final ScanBuffers in;
        final ScanShape s;
        final int batch, channels, length, n, groups, channelsPerGroup, rows, nc, npad;
        float[] aPad;
        float[] bT;
        float[] cT;
        private float[] dValues;
        private float[] biasValues;

        Plan(ScanBuffers in) {
            this.in = in;
            this.s = in.shape();
            batch = s.batch();
            channels = s.channels();
            length = s.length();
            n = s.state();
            groups = s.effectiveGroups();
            channelsPerGroup = channels / groups;
            rows = batch * channels;
            nc = checkpointsPerRow(length);
            int lanes = kernel.lanes();
            npad = (n + lanes - 1) / lanes * lanes;
            if ((long) batch * groups * length * npad > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("B/C of shape " + java.util.Arrays.toString(s.bcShape())
                        + " are too large for the fused scan's transposed copy (more than 2^31 floats)");
            }
        }

        void prepare() {
            aPad = new float[channels * npad];
            for (int d = 0; d < channels; d++) {
                in.a().get(d * n, aPad, d * npad, n);
            }
            bT = new float[batch * groups * length * npad];
            cT = new float[batch * groups * length * npad];
            pool.run(batch * groups, () -> new float[length], (tmp, bg) -> {
                for (int which = 0; which < 2; which++) {
                    FloatBuffer src = which == 0 ? in.b() : in.c();
                    float[] dst = which == 0 ? bT : cT;
                    int base = bg * length * npad;
                    for (int j = 0; j < n; j++) {
                        src.get((bg * n + j) * length, tmp, 0, length);
                        for (int t = 0; t < length; t++) {
                            dst[base + t * npad + j] = tmp[t];
                        }
                    }
                }
            });
            if (in.d() != null) {
                dValues = new float[channels];
                in.d().get(0, dValues);
            }
            if (in.deltaBias() != null) {
                biasValues = new float[channels];
                in.deltaBias().get(0, biasValues);
            }
        }

        float dSkip(int d) {
            return dValues == null ? 0f : dValues[d];
        }

        float bias(int d) {
            return biasValues == null ? 0f : biasValues[d];
        }
    }

    /** Per-thread scratch: one row's staged inputs and the chunk buffers of the backward. */
    private final class Worker {
        final ScanRow row = new ScanRow();
        final float[] raw, dt, u, z, ys, out, dout, dy, dz, dDelta, duScan, h, g, dA, hs, decs;

        Worker(Plan p) {
            int L = p.length;
            raw = new float[L];
            dt = new float[L];
            u = new float[L];
            z = new float[L];
            ys = new float[L];
            out = new float[L];
            dout = new float[L];
            dy = new float[L];
            dz = new float[L];
            dDelta = new float[L];
            duScan = new float[L];
            h = new float[p.npad];
            g = new float[p.npad];
            dA = new float[p.npad];
            int k = Math.min(chunkLength, L);
            hs = new float[(k + 1) * p.npad];
            decs = new float[k * p.npad];
            this.plan = p;
        }

        private final Plan plan;
        private Block block;

        /** The block scratch, created on first use. */
        Block block() {
            if (block == null) {
                block = new Block(plan, kernel.blockWidth());
            }
            return block;
        }

        /** Scratch of a block of channels scanned together. */
        final class Block {
            final ScanBlock scan = new ScanBlock();
            final float[] dtT, uT, ysT, aT, h;
            /** (width, length): one row per channel of the block, staged before and after the transposes. */
            final float[] rows, uRows;

            Block(Plan p, int width) {
                rows = new float[p.length * width];
                uRows = new float[p.length * width];
                dtT = new float[p.length * width];
                uT = new float[p.length * width];
                ysT = new float[p.length * width];
                aT = new float[p.n * width];
                h = new float[p.n * width];
                scan.aT = aT;
                scan.dtT = dtT;
                scan.uT = uT;
            }
        }
    }

    /** Scratch of one chunk task in the chunk-parallel backward. */
    private static final class ChunkScratch {
        final float[] hs, decs, g, dA;

        ChunkScratch(Plan p, int chunkLength) {
            int k = Math.min(chunkLength, p.length);
            hs = new float[(k + 1) * p.npad];
            decs = new float[k * p.npad];
            g = new float[p.npad];
            dA = new float[p.npad];
        }
    }

    /** Backward work units: contiguous channel blocks of one (batch, group), each with dB/dC accumulators. */
    private static final class Units {
        final int perGroup, count, channelsPerGroup, groups, blockSize;
        final float[][] dBT, dCT;

        Units(Plan p) {
            channelsPerGroup = p.channelsPerGroup;
            groups = p.groups;
            int wanted = (TARGET_UNITS + p.batch * p.groups - 1) / (p.batch * p.groups);
            int per = Math.max(1, Math.min(Math.min(MAX_UNITS_PER_GROUP, channelsPerGroup), wanted));
            blockSize = (channelsPerGroup + per - 1) / per;
            perGroup = (channelsPerGroup + blockSize - 1) / blockSize;
            count = p.batch * p.groups * perGroup;
            dBT = new float[count][];
            dCT = new float[count][];
            for (int i = 0; i < count; i++) {
                dBT[i] = new float[p.length * p.npad];
                dCT[i] = new float[p.length * p.npad];
            }
        }

        int batch(int unit) {
            return unit / (groups * perGroup);
        }

        int firstChannel(int unit) {
            int g = unit / perGroup % groups;
            return g * channelsPerGroup + unit % perGroup * blockSize;
        }

        int endChannel(int unit) {
            int g = unit / perGroup % groups;
            return Math.min((g + 1) * channelsPerGroup, firstChannel(unit) + blockSize);
        }
    }

    /** Per-row partial sums of the gradients shared across the batch. */
    private record RowPartials(float[] dA, float[] dD, float[] dBias) {
    }
}
