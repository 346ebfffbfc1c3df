package io.seqbench.kernels.cuda;

import io.seqbench.kernels.scan.ScanShape;

/**
 * How the CUDA selective-scan kernels are launched for a shape: which kernel variant, the block tiling and the
 * shared memory it needs. Pure logic, mirrored from {@code kernels/src/main/cuda/selective_scan.cu}.
 *
 * <p>Glossary (as in the kernel source): a block owns one batch row and a tile of {@code CT} channels of one B/C
 * group; a channel is handled by {@code P} adjacent lanes; each lane keeps {@code NS} states; time is cut into
 * chunks of {@link #CHUNK} steps.
 */
public final class ScanGeometry {

    /** Time steps per chunk: the shared-memory tile width and the interval of the forward's saved states. */
    public static final int CHUNK = 32;
    /** Row stride of a per-row shared-memory tile, in floats. */
    static final int TILE_STRIDE = CHUNK + 4;
    /** Row stride of the backward's staging region, in floats: 2 rows of a chunk (3 with several lanes). */
    static int regionStride(int lanes) {
        return lanes > 1 ? 3 * CHUNK + 4 : 2 * CHUNK + 4;
    }
    /** The largest state size the kernels support. */
    public static final int MAX_STATE = 64;
    /** Threads per block of both scan kernels at most (their {@code __launch_bounds__}). */
    static final int MAX_THREADS = 128;
    /** The largest grid y (batch) the driver accepts. */
    static final int MAX_BATCH = 65535;

    /** Forward kernels compiled into the image: {states per lane, states per lane whose exp runs on the FMA pipe}. */
    static final int[][] FORWARD_KERNELS = {{2, 0}, {4, 0}, {4, 1}, {8, 0}, {8, 1}, {8, 2}, {16, 0}, {16, 2}, {16, 4}};
    /** Backward kernels compiled into the image: states per lane. */
    static final int[] BACKWARD_KERNELS = {4, 8, 16};

    private ScanGeometry() {
    }

    /**
     * What the device allows.
     *
     * @param maxSharedPerBlock the most dynamic shared memory one block may opt in to, bytes
     * @param multiprocessors   the number of SMs
     */
    public record Limits(int maxSharedPerBlock, int multiprocessors) {
        public static Limits of(CudaDeviceInfo device) {
            return new Limits(device.maxSharedPerBlock(), device.multiprocessors());
        }
    }

    /**
     * Tuning of the forward kernel; {@code 0} means "choose".
     *
     * @param statesPerLane    NS, 2, 4, 8 or 16
     * @param expOnFma         how many of a lane's states compute exp on the FMA pipe (polynomial) instead of the
     *                         special-function unit; only used when A ≤ 0 and Δ ≥ 0 are guaranteed
     * @param channelsPerBlock CT, a power of two
     */
    public record ForwardVariant(int statesPerLane, int expOnFma, int channelsPerBlock) {
        /** Let the geometry choose everything. */
        public static final ForwardVariant AUTO = new ForwardVariant(0, -1, 0);

        public ForwardVariant {
            if (statesPerLane != 0 && statesPerLane != 2 && statesPerLane != 4 && statesPerLane != 8
                    && statesPerLane != 16) {
                throw new IllegalArgumentException("statesPerLane must be 0 (auto), 2, 4, 8 or 16, got "
                        + statesPerLane);
            }
            if (channelsPerBlock != 0 && Integer.bitCount(channelsPerBlock) != 1) {
                throw new IllegalArgumentException("channelsPerBlock must be 0 (auto) or a power of two, got "
                        + channelsPerBlock);
            }
        }

        @Override
        public String toString() {
            return "ns" + statesPerLane + "/fma" + expOnFma + "/ct" + channelsPerBlock;
        }
    }

    /**
     * One kernel launch.
     *
     * @param kernel           the entry point's name in the image
     * @param gridX            channel tiles (channels / channelsPerBlock)
     * @param gridY            batch rows
     * @param threads          threads per block (channelsPerBlock · lanesPerChannel)
     * @param sharedBytes      dynamic shared memory per block
     * @param channelsPerBlock CT
     * @param lanesPerChannel  P
     * @param statesPerLane    NS
     * @param expOnFma         states per lane with the polynomial exp (forward only)
     */
    public record Launch(String kernel, int gridX, int gridY, int threads, int sharedBytes, int channelsPerBlock,
                         int lanesPerChannel, int statesPerLane, int expOnFma) {
        /** Padded state count NS·P (states past the real count are inert). */
        public int paddedState() {
            return statesPerLane * lanesPerChannel;
        }
    }

    /** Throws {@link IllegalArgumentException} naming the size and the allowed range when the kernels cannot run it. */
    public static void validate(ScanShape s) {
        if (s.state() > MAX_STATE) {
            throw new IllegalArgumentException("state is " + s.state() + "; the CUDA selective scan supports state"
                    + " sizes 1.." + MAX_STATE);
        }
        if (s.batch() > MAX_BATCH) {
            throw new IllegalArgumentException("batch is " + s.batch() + "; the CUDA selective scan supports at most "
                    + MAX_BATCH + " (the grid's y limit)");
        }
        if (s.sequenceElements() > Integer.MAX_VALUE * 4L || s.bcElements() > Integer.MAX_VALUE * 4L) {
            throw new IllegalArgumentException("batch·channels·length = " + s.sequenceElements()
                    + " is beyond what the CUDA selective scan was tested for (8.5e9 elements)");
        }
    }

    /**
     * The forward launch.
     *
     * @param expOnFmaAllowed whether A ≤ 0 and Δ ≥ 0 hold, so that the polynomial exp may be used
     */
    public static Launch forward(ScanShape s, boolean hasZ, Limits limits, ForwardVariant variant,
                                 boolean expOnFmaAllowed) {
        validate(s);
        int ns = variant.statesPerLane() != 0 ? variant.statesPerLane() : defaultForwardStatesPerLane(s.state());
        int p = lanesPerChannel(s.state(), ns);
        int fma = variant.expOnFma() >= 0 ? variant.expOnFma() : defaultExpOnFma(ns);
        if (!expOnFmaAllowed) {
            fma = 0;
        }
        if (!hasForwardKernel(ns, fma)) {
            throw new IllegalArgumentException("no forward kernel with " + ns + " states per lane and " + fma
                    + " polynomial exps; compiled: ns2 with 0, ns4 with 0/1, ns8 with 0/1/2, ns16 with 0/2/4");
        }
        int target = variant.channelsPerBlock() != 0 ? variant.channelsPerBlock() : defaultForwardChannels(p);
        int ct = channelsPerBlock(s, p, target, c -> forwardSharedBytes(c, ns * p, hasZ), limits);
        return new Launch("seqbench_scan_fwd_ns" + ns + "_sw" + fma, s.channels() / ct, s.batch(), ct * p,
                (int) forwardSharedBytes(ct, ns * p, hasZ), ct, p, ns, fma);
    }

    /** The backward launch (the scan kernel; the reduction is {@link #reduceBlocks}), states per lane chosen. */
    public static Launch backward(ScanShape s, boolean hasZ, Limits limits) {
        return backward(s, hasZ, limits, 0);
    }

    /**
     * The backward launch with {@code statesPerLane} (4, 8 or 16; 0 chooses: 4 up to 16 states, else 16).
     */
    public static Launch backward(ScanShape s, boolean hasZ, Limits limits, int statesPerLane) {
        validate(s);
        int ns = statesPerLane != 0 ? statesPerLane : defaultBackwardStatesPerLane(s.state());
        if (java.util.Arrays.stream(BACKWARD_KERNELS).noneMatch(k -> k == ns)) {
            throw new IllegalArgumentException("no backward kernel with " + ns + " states per lane; compiled: 4, 8,"
                    + " 16");
        }
        int p = lanesPerChannel(s.state(), ns);
        if (p > MAX_THREADS) {
            throw new IllegalArgumentException("state " + s.state() + " needs " + p + " lanes per channel");
        }
        int ct = channelsPerBlock(s, p, MAX_THREADS / p, c -> backwardSharedBytes(c, p, ns, hasZ), limits);
        return new Launch("seqbench_scan_bwd_ns" + ns, s.channels() / ct, s.batch(), ct * p,
                (int) backwardSharedBytes(ct, p, ns, hasZ), ct, p, ns, 0);
    }

    /** Blocks of 256 threads for the backward's reduction kernel. */
    public static int reduceBlocks(ScanShape s, Limits limits) {
        long work = 2 * s.bcElements() + (long) s.channels() * s.state() + 2L * s.channels();
        long blocks = (work + 255) / 256;
        return (int) Math.max(1, Math.min(blocks, 8L * limits.multiprocessors()));
    }

    /** Chunks of {@link #CHUNK} steps: ceil(length / CHUNK). */
    public static int chunks(int length) {
        return (length + CHUNK - 1) / CHUNK;
    }

    /** Floats of the states the forward saves for the backward: batch·channels·chunks·state. */
    public static long carryFloats(ScanShape s) {
        return (long) s.batch() * s.channels() * chunks(s.length()) * s.state();
    }

    /** Floats of the backward's per-block B/C gradient sums: batch·tiles·2·state·length. */
    public static long bcPartialFloats(ScanShape s, Launch backward) {
        return (long) s.batch() * backward.gridX() * 2 * s.state() * s.length();
    }

    /** 4 states per lane up to 16 states (4 lanes per channel: enough warps to hide latency), else 16. */
    static int defaultForwardStatesPerLane(int state) {
        return state <= 16 ? 4 : 16;
    }

    static int defaultBackwardStatesPerLane(int state) {
        return state <= 16 ? 4 : 16;
    }

    static int defaultExpOnFma(int statesPerLane) {
        return 0;
    }

    static int defaultForwardChannels(int lanes) {
        return Math.max(1, MAX_THREADS / lanes);
    }

    static boolean hasForwardKernel(int ns, int fma) {
        for (int[] k : FORWARD_KERNELS) {
            if (k[0] == ns && k[1] == fma) {
                return true;
            }
        }
        return false;
    }

    /** P: the smallest power of two with NS·P ≥ state. */
    static int lanesPerChannel(int state, int statesPerLane) {
        int p = 1;
        while (p * statesPerLane < state) {
            p *= 2;
        }
        return p;
    }

    /**
     * CT: the largest power of two ≤ target that divides the channels of one group (so a block never straddles
     * two groups), keeps the block within {@link #MAX_THREADS} and its shared memory within the device's limit.
     */
    static int channelsPerBlock(ScanShape s, int lanes, int target, java.util.function.IntToLongFunction shared,
                                Limits limits) {
        int perGroup = s.channels() / s.effectiveGroups();
        int ct = Integer.highestOneBit(Math.max(1, Math.min(target, MAX_THREADS / lanes)));
        while (ct > 1 && (perGroup % ct != 0 || shared.applyAsLong(ct) > limits.maxSharedPerBlock())) {
            ct /= 2;
        }
        if (shared.applyAsLong(ct) > limits.maxSharedPerBlock()) {
            throw new IllegalArgumentException("state " + s.state() + " needs " + shared.applyAsLong(ct)
                    + " bytes of shared memory per block even with one channel per block; this GPU allows "
                    + limits.maxSharedPerBlock());
        }
        return ct;
    }

    /** Shared memory of the forward: two stage buffers {u, Δ, z?, B, C} and the output tile. */
    static long forwardSharedBytes(int ct, int paddedState, boolean hasZ) {
        long buffer = (long) (2 + (hasZ ? 1 : 0)) * ct * TILE_STRIDE + 2L * paddedState * TILE_STRIDE;
        return 4 * (2 * buffer + (long) ct * TILE_STRIDE);
    }

    /** Shared memory of the backward: two stage buffers {u, Δ, z?, dout, B, C}, Δ·u, the staging region, carries. */
    static long backwardSharedBytes(int ct, int lanes, int statesPerLane, boolean hasZ) {
        int threads = ct * lanes;
        long buffer = (long) (3 + (hasZ ? 1 : 0)) * ct * TILE_STRIDE + 2L * statesPerLane * lanes * TILE_STRIDE;
        return 4 * (2 * buffer + (long) ct * TILE_STRIDE + (long) threads * regionStride(lanes)
                + 2L * statesPerLane * threads);
    }
}
