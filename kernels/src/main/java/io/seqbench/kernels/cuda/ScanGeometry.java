package io.seqbench.kernels.cuda;

import io.seqbench.kernels.scan.ScanShape;

/**
 * How the CUDA selective-scan kernels are launched for a shape: which kernel variant, the block tiling and the
 * shared memory it needs. Pure logic, mirrored from {@code kernels/src/main/cuda/selective_scan.cu}.
 *
 * <p>Glossary (as in the kernel source): a block owns one batch row and a tile of {@code CT} channels of one B/C
 * group; a channel is handled by {@code P} adjacent lanes; each lane keeps {@code NS} states; time is cut into
 * chunks of {@link #CHUNK} steps.
 *
 * <p>Three generations of forward kernels are compiled. Version 5 (the default where it applies: 9-16 states,
 * channels per group a multiple of 64, length a multiple of 4, 16-byte aligned rows): warp-specialised, 4 update
 * warps of 8 states and 4 I/O warps per 64 channels, handing 32-step chunks over through named barriers. Version 4
 * (the default where version 5 does not apply but state ≤ 16 and the channels of a group are a multiple of 32):
 * one lane per channel, 32 channels per block, the block's warps splitting the states (4 each); Δ/softplus and the
 * gate computed once per (channel, step); fully unrolled 32-step chunks.
 * Version 3 (the fallback for every other shape, state up to 64): 4 lanes per channel of NS states each, each lane
 * doing the per-step work of one step in four and the output sum reduce-scattered between the lanes; tiles staged
 * by per-thread cp.async, or by the copy engine on request where the GPU has one. The backward has versions 1 and
 * 4 (version 4 has the forward's version-4 layout and is the default where it applies, else version 1). Forward
 * versions 1 and 2, the version-3 code variants o0-o2 and backward versions 2 and 3 were measured slower on the
 * H200 and removed (docs/benchmarks/scan-gpu.md). Every compiled version is selectable; the defaults are the
 * fastest measured.
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
    /** Threads per block of the version-3 forward and version-1 backward at most (their {@code __launch_bounds__}). */
    static final int MAX_THREADS = 128;
    /** The largest grid y (batch) the driver accepts. */
    static final int MAX_BATCH = 65535;

    /** Backward kernels compiled into the image: states per lane. */
    static final int[] BACKWARD_KERNELS = {4, 8, 16};
    /** Version-3 forward kernels (4 lanes per channel, per-step work split between them): {states per lane, FMA exps}. */
    static final int[][] FORWARD3_KERNELS = {{4, 0}, {4, 1}, {8, 0}, {16, 0}};
    /**
     * The system property that says whether the version-3 forward stages its tiles with the copy engine
     * ({@code true}) or per-thread cp.async ({@code false}); see {@link #forwardBulkDefault}.
     */
    public static final String FORWARD_BULK_PROPERTY = "seqbench.scan.fwd.bulk";
    /**
     * Whether the version-3 forward uses the copy engine by default (where the GPU has one and rows are aligned).
     * They do not: each bulk copy takes a per-thread address, which the compiler serialises over the warp's lanes
     * (R2UR, ELECT, UBLKCP in a loop), ~3 instructions per state update at the benchmark shape; per-thread 16-byte
     * cp.async measured 7% faster on the H200 (docs/benchmarks/scan-gpu.md).
     */
    public static final boolean DEFAULT_FORWARD_BULK = false;
    /**
     * The forward version {@link ForwardVariant#AUTO} runs: 5 where it applies ({@link #forward5Unavailable}, and
     * 16-byte aligned rows: {@link ScanKernels}), else 4 where that applies ({@link #forward4Unavailable}), else 3.
     * Version 5 measured 12 % faster than 4 on the H200 (docs/benchmarks/scan-gpu.md). compute-sanitizer's racecheck
     * reports potential hazards on its named-barrier hand-over; every reported pair is a write before bar.arrive
     * and a read after the matching bar.sync, which PTX orders, and the tool reports the same on a minimal
     * hand-over whose values check (tools/gpu/namedbar_racecheck.cu).
     */
    public static final int DEFAULT_FORWARD_VERSION = 5;
    /** Shared memory of the version-5 forward (fwd5_shared_bytes in the .cu): 3 stage slots of 160 rows, 2 tiles. */
    static final long FORWARD5_SHARED_BYTES = 4L * (3 * (2 * 64 + 32) * CHUNK + 2 * 128 * CHUNK);
    /** Version-4 forward kernels compiled into the image: warps per block (4 states each). */
    static final int[] FORWARD4_KERNELS = {2, 4};
    /**
     * The system property that overrides the default backward code (4, 8, 16 states per lane of version 1,
     * {@link #BACKWARD_V4}) where the state allows 4 states per lane; {@code -Dseqbench.scan.bwd=4} brings back the previous default (version 1) for comparison.
     */
    public static final String BACKWARD_PROPERTY = "seqbench.scan.bwd";
    /**
     * The default backward code where the state allows 4 states per lane (state <= 16): version 4 ({@link
     * #BACKWARD_V4}), which falls back to version 1 with 4 states per lane where it does not apply (channels per
     * group not a multiple of 32). Measured 24-25 % faster than version 1 on the H200 (docs/benchmarks/scan-gpu.md).
     */
    public static final int DEFAULT_BACKWARD = 400;
    /**
     * Every backward choice, for sweeps and checks: version 1 with 4, 8, 16 states per lane, then version 4.
     */
    static final int[] BACKWARD_CHOICES = {4, 8, 16, 400};
    /**
     * The backward code that selects version 4 ({@code seqbench_scan_bwd4}: one lane per channel, 4 warps of 4
     * states, state ≤ 16, channels per group a multiple of 32; elsewhere version 1 runs instead).
     */
    public static final int BACKWARD_V4 = 400;

    private ScanGeometry() {
    }

    /**
     * What the device allows.
     *
     * @param maxSharedPerBlock the most dynamic shared memory one block may opt in to, bytes
     * @param multiprocessors   the number of SMs
     * @param bulkCopy          the GPU has the copy engine (cp.async.bulk; compute capability 9.0 and newer)
     */
    public record Limits(int maxSharedPerBlock, int multiprocessors, boolean bulkCopy) {
        /** A GPU without the copy engine. */
        public Limits(int maxSharedPerBlock, int multiprocessors) {
            this(maxSharedPerBlock, multiprocessors, false);
        }

        public static Limits of(CudaDeviceInfo device) {
            return new Limits(device.maxSharedPerBlock(), device.multiprocessors(), device.computeCapability() >= 90);
        }
    }

    /**
     * Tuning of the forward kernel; {@code 0} means "choose".
     *
     * @param version          3, 4 or 5 (0: the default, {@link #DEFAULT_FORWARD_VERSION})
     * @param statesPerLane    NS: version 3 4, 8 or 16 (version 4: 4)
     * @param expOnFma         how many of a lane's states compute exp on the FMA pipe (polynomial) instead of the
     *                         special-function unit; only used when A ≤ 0 and Δ ≥ 0 are guaranteed (−1: choose)
     * @param channelsPerBlock CT, a power of two
     */
    public record ForwardVariant(int version, int statesPerLane, int expOnFma, int channelsPerBlock) {
        /** Let the geometry choose everything. */
        public static final ForwardVariant AUTO = new ForwardVariant(0, 0, -1, 0);

        public ForwardVariant {
            if (version != 0 && version != 3 && version != 4 && version != 5) {
                throw new IllegalArgumentException("version must be 0 (auto), 3, 4 or 5 (versions 1 and 2 were"
                        + " removed), got " + version);
            }
            if (statesPerLane != 0 && statesPerLane != 4 && statesPerLane != 8 && statesPerLane != 16) {
                throw new IllegalArgumentException("statesPerLane must be 0 (auto), 4, 8 or 16, got " + statesPerLane);
            }
            if (channelsPerBlock != 0 && Integer.bitCount(channelsPerBlock) != 1) {
                throw new IllegalArgumentException("channelsPerBlock must be 0 (auto) or a power of two, got "
                        + channelsPerBlock);
            }
        }

        /** A version-3 variant. */
        public static ForwardVariant v3(int statesPerLane, int expOnFma, int channelsPerBlock) {
            return new ForwardVariant(3, statesPerLane, expOnFma, channelsPerBlock);
        }

        /** The version-4 kernel (one lane per channel, 32 channels per block, warps splitting the states). */
        public static ForwardVariant v4() {
            return new ForwardVariant(4, 4, 0, 32);
        }

        /** The version-5 kernel (warp-specialised: 4 update warps of 8 states, 4 I/O warps; 64 channels per block). */
        public static ForwardVariant v5() {
            return new ForwardVariant(5, 8, 0, 64);
        }

        @Override
        public String toString() {
            return "v" + (version == 0 ? DEFAULT_FORWARD_VERSION : version) + "/ns" + statesPerLane + "/fma"
                    + expOnFma + "/ct" + channelsPerBlock;
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
     * @param version          the kernel generation: forward 3, 4 or 5, backward 1 or 4
     */
    public record Launch(String kernel, int gridX, int gridY, int threads, int sharedBytes, int channelsPerBlock,
                         int lanesPerChannel, int statesPerLane, int expOnFma, int version) {
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

    /** The forward launch for 16-byte aligned arrays (as cuMemAlloc returns them). */
    public static Launch forward(ScanShape s, boolean hasZ, Limits limits, ForwardVariant variant,
                                 boolean expOnFmaAllowed) {
        return forward(s, hasZ, limits, variant, expOnFmaAllowed, true);
    }

    /**
     * The forward launch.
     *
     * @param expOnFmaAllowed whether A ≤ 0 and Δ ≥ 0 hold, so that the polynomial exp may be used
     * @param alignedArrays   u, δ, z, B, C and out all start at multiples of 16 bytes (version 5 stages 16-byte
     *                        pieces only; the length's part of the alignment is checked from the shape)
     */
    public static Launch forward(ScanShape s, boolean hasZ, Limits limits, ForwardVariant variant,
                                 boolean expOnFmaAllowed, boolean alignedArrays) {
        validate(s);
        int version = variant.version() == 0 ? DEFAULT_FORWARD_VERSION : variant.version();
        if (version == 5) {
            String why = forward5Unavailable(s, hasZ, limits, alignedArrays);
            if (why == null) {
                // "lanes per channel": the 2 update threads (in 2 warps) that share a channel's states
                return new Launch("seqbench_scan_fwd5", s.channels() / 64, s.batch(), 256,
                        (int) FORWARD5_SHARED_BYTES, 64, 2, 8, 0, 5);
            }
            if (variant.version() == 5) {
                throw new IllegalArgumentException("the version-5 forward cannot run this shape: " + why);
            }
            version = 4;
        }
        if (version == 4) {
            String why = forward4Unavailable(s, hasZ, limits);
            if (why == null) {
                int w = s.state() <= 8 ? 2 : 4;
                // "lanes per channel": the w threads (one in each warp) that share a channel's states
                return new Launch("seqbench_scan_fwd4_w" + w, s.channels() / 32, s.batch(), 32 * w,
                        (int) forward4SharedBytes(w, 4, hasZ), 32, w, 4, 0, 4);
            }
            if (variant.version() == 4) {
                throw new IllegalArgumentException("the version-4 forward cannot run this shape: " + why);
            }
            return forward3(s, hasZ, limits, ForwardVariant.AUTO, expOnFmaAllowed);
        }
        return forward3(s, hasZ, limits, variant, expOnFmaAllowed);
    }

    private static Launch forward3(ScanShape s, boolean hasZ, Limits limits, ForwardVariant variant,
                                   boolean expOnFmaAllowed) {
        int ns = variant.statesPerLane() != 0 ? variant.statesPerLane()
                : s.state() <= 16 ? 4 : s.state() <= 32 ? 8 : 16;
        if (4 * ns < s.state()) {
            throw new IllegalArgumentException("version 3 keeps 4 lanes of " + ns + " states per channel: too few for"
                    + " state " + s.state());
        }
        int fma = variant.expOnFma() >= 0 ? variant.expOnFma() : 0;
        if (!expOnFmaAllowed) {
            fma = 0;
        }
        if (!hasKernel(FORWARD3_KERNELS, ns, fma)) {
            throw new IllegalArgumentException("no version-3 forward kernel with " + ns + " states per lane and " + fma
                    + " polynomial exps; compiled: ns4 with 0/1, ns8 and ns16 with 0");
        }
        int target = variant.channelsPerBlock() != 0 ? variant.channelsPerBlock() : 32;
        int ct = channelsPerBlock(s, 4, target, c -> forward2SharedBytes(c, ns * 4, hasZ), limits);
        // 4 states per lane without polynomial exps: the code variant o3 (the only one of o0-o3 still compiled)
        return new Launch("seqbench_scan_fwd3_ns" + ns + "_sw" + fma + (ns == 4 && fma == 0 ? "_o3" : ""),
                s.channels() / ct, s.batch(), ct * 4, (int) forward2SharedBytes(ct, ns * 4, hasZ), ct, 4, ns, fma, 3);
    }

    /** Why the version-5 forward cannot take this shape with these arrays, or null when it can. */
    static String forward5Unavailable(ScanShape s, boolean hasZ, Limits limits, boolean alignedArrays) {
        String why = laneLayoutUnavailable(s, 64, FORWARD5_SHARED_BYTES, limits);
        if (why != null) {
            return why;
        }
        if (s.state() <= 8) {
            return "state " + s.state() + " <= 8 (version 4 with 2 warps holds it; version 5 would idle half its"
                    + " update warps)";
        }
        if (s.length() % 4 != 0) {
            return "length " + s.length() + " not a multiple of 4";
        }
        if (!alignedArrays) {
            return "an array not 16-byte aligned (u, delta, z, B, C and out must start at multiples of 16 bytes)";
        }
        return null;
    }

    /** Why the version-4 forward cannot take this shape, or null when it can. */
    static String forward4Unavailable(ScanShape s, boolean hasZ, Limits limits) {
        return laneLayoutUnavailable(s, 32, forward4SharedBytes(4, 4, hasZ), limits);
    }

    /**
     * What the one-lane-per-channel kernels (forward versions 4 and 5, backward version 4) need: state ≤ 16, the
     * channels of a group a multiple of the block's {@code channelsPerBlock}, and their shared memory; null when
     * the shape has all three.
     */
    private static String laneLayoutUnavailable(ScanShape s, int channelsPerBlock, long sharedBytes, Limits limits) {
        if (s.state() > 16) {
            return "state " + s.state() + " > 16";
        }
        if ((s.channels() / s.effectiveGroups()) % channelsPerBlock != 0) {
            return "channels per group (" + s.channels() / s.effectiveGroups() + ") not a multiple of "
                    + channelsPerBlock;
        }
        if (sharedBytes > limits.maxSharedPerBlock()) {
            return "needs " + sharedBytes + " bytes of shared memory per block";
        }
        return null;
    }

    /**
     * Shared memory of the version-4 forward with w warps (fwd4_shared_bytes in the .cu): two stage buffers {u, Δ,
     * z?, B[4w], C[4w]} and the w warps' partial-output tiles (32 rows each).
     */
    static long forward4SharedBytes(int warps, int statesPerThread, boolean hasZ) {
        long buffer = (long) ((2 + (hasZ ? 1 : 0)) * 32 + 2 * statesPerThread * warps) * TILE_STRIDE;
        int partialStride = statesPerThread == 4 ? TILE_STRIDE : CHUNK + 12;
        return 4 * (2 * buffer + (long) warps * 32 * partialStride);
    }

    /** {@link #DEFAULT_FORWARD_BULK} unless the system property {@link #FORWARD_BULK_PROPERTY} says otherwise. */
    public static boolean forwardBulkDefault() {
        String v = System.getProperty(FORWARD_BULK_PROPERTY);
        return v == null ? DEFAULT_FORWARD_BULK : Boolean.parseBoolean(v);
    }

    /** The backward launch (the scan kernel; the reduction is {@link #reduceBlocks}), everything chosen. */
    public static Launch backward(ScanShape s, boolean hasZ, Limits limits) {
        return backward(s, hasZ, limits, 0, true);
    }

    /**
     * The backward launch.
     *
     * @param statesPerLane 4, 8 or 16 for version 1 with that many states per lane, {@link #BACKWARD_V4} for
     *                      version 4 (version 1 with 4 states per lane where it does not apply), 0 to choose
     *                      ({@link #defaultBackwardStatesPerLane})
     * @param alignedRows   the length is a multiple of 4 and every array is 16-byte aligned (no kernel depends on
     *                      it since the copy-engine backward (version 2) was removed; kept for the callers)
     */
    public static Launch backward(ScanShape s, boolean hasZ, Limits limits, int statesPerLane, boolean alignedRows) {
        validate(s);
        int choice = statesPerLane != 0 ? statesPerLane : defaultBackwardStatesPerLane(s.state());
        if (choice == BACKWARD_V4) {
            String why = backward4Unavailable(s, hasZ, limits);
            if (why == null) {
                return new Launch("seqbench_scan_bwd4", s.channels() / 32, s.batch(), 128,
                        (int) backward4SharedBytes(8, 4, hasZ), 32, 4, 4, 0, 4);
            }
            if (statesPerLane == BACKWARD_V4) {
                throw new IllegalArgumentException("the version-4 backward cannot run this shape: " + why);
            }
            choice = 4;  // the default where version 4 does not apply: version 1
        }
        int ns = choice;
        if (java.util.Arrays.stream(BACKWARD_KERNELS).noneMatch(k -> k == ns)) {
            throw new IllegalArgumentException("no backward kernel with " + ns + " states per lane; compiled: 4, 8,"
                    + " 16 (and " + BACKWARD_V4 + " for version 4)");
        }
        int p = lanesPerChannel(s.state(), ns);
        if (p > MAX_THREADS) {
            throw new IllegalArgumentException("state " + s.state() + " needs " + p + " lanes per channel");
        }
        int ct = channelsPerBlock(s, p, MAX_THREADS / p, c -> backwardSharedBytes(c, p, ns, hasZ), limits);
        return new Launch("seqbench_scan_bwd_ns" + ns, s.channels() / ct, s.batch(), ct * p,
                (int) backwardSharedBytes(ct, p, ns, hasZ), ct, p, ns, 0, 1);
    }

    /** Why the version-4 backward cannot take this shape, or null when it can. */
    static String backward4Unavailable(ScanShape s, boolean hasZ, Limits limits) {
        return laneLayoutUnavailable(s, 32, backward4SharedBytes(8, 4, hasZ), limits);
    }

    /**
     * Shared memory of the version-4 backward with sub-chunks of {@code sub} steps and {@code statesPerThread}
     * states per thread (bwd4_shared_bytes in the .cu): two stage buffers {u, Δ, z?, dout, B[16], C[16]} and, per
     * thread, an exchange row of 2·states·sub + 4 floats (dC, dB) and one of 3·sub + 4 (8 at sub 4) (y, S1, S2).
     */
    static long backward4SharedBytes(int sub, int statesPerThread, boolean hasZ) {
        long buffer = (long) ((3 + (hasZ ? 1 : 0)) * 32 + 2 * 16) * TILE_STRIDE;
        long threads = 32L * (16 / statesPerThread);
        return 4 * (2 * buffer + threads * (2L * statesPerThread * sub + 4) + threads * (3 * sub + (sub == 4 ? 8 : 4)));
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

    /**
     * The default backward code: {@link #DEFAULT_BACKWARD} (or the system property {@link #BACKWARD_PROPERTY}) up to
     * state 16, else version 1 with 16 states per lane.
     */
    static int defaultBackwardStatesPerLane(int state) {
        if (state > 16) {
            return 16;
        }
        int code = Integer.getInteger(BACKWARD_PROPERTY, DEFAULT_BACKWARD);
        return code == 0 ? DEFAULT_BACKWARD : code;
    }

    /** The states per lane a backward code runs with (version 4: 4 per thread). */
    static int backwardStatesPerLane(int code) {
        return code == BACKWARD_V4 ? 4 : code;
    }

    static boolean hasKernel(int[][] kernels, int ns, int fma) {
        for (int[] k : kernels) {
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

    /**
     * Shared memory of the version-3 forward (fwd2_shared_bytes in the .cu, named after the removed version 2 whose
     * staging it kept): two stage buffers {u, Δ, z?, B, C}, two output tiles, two mbarriers.
     */
    static long forward2SharedBytes(int ct, int paddedState, boolean hasZ) {
        long buffer = (long) (2 + (hasZ ? 1 : 0)) * ct * TILE_STRIDE + 2L * paddedState * TILE_STRIDE;
        return 4 * (2 * buffer + 2L * ct * TILE_STRIDE) + 16;
    }

    /** Shared memory of the backward: two stage buffers {u, Δ, z?, dout, B, C}, Δ·u, the staging region, carries. */
    static long backwardSharedBytes(int ct, int lanes, int statesPerLane, boolean hasZ) {
        int threads = ct * lanes;
        long buffer = (long) (3 + (hasZ ? 1 : 0)) * ct * TILE_STRIDE + 2L * statesPerLane * lanes * TILE_STRIDE;
        return 4 * (2 * buffer + (long) ct * TILE_STRIDE + (long) threads * regionStride(lanes)
                + 2L * statesPerLane * threads);
    }
}
