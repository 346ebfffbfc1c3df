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
 * <p>Four generations of forward kernels are compiled. Version 1: P lanes of NS states per channel, per-thread
 * cp.async staging, a per-step pre-pass through shared memory. Version 2: one thread per channel with all of its
 * states (P = 1 up to 16 states), tiles staged by the copy engine where the GPU has one (compute capability 9.0)
 * and the rows are 16-byte aligned; its lean per-update code is latency-bound at one warp per scheduler. Version 3:
 * version 2's staging and per-update code with 4 lanes per channel (4 warps per scheduler at the benchmark shape),
 * each lane doing the per-step work of one step in four and the output sum reduce-scattered between the lanes.
 * Version 4 (the default where state ≤ 16 and the channels of a group are a multiple of 32): one lane per channel,
 * 32 channels per block, the block's warps splitting the states (4 each); Δ/softplus and the gate computed once
 * per (channel, step); fully unrolled 32-step chunks. The backward has versions 1, 2 and 4 (version 2 needs the
 * copy engine, state ≤ 16 and a multiple of 32 channels per group; version 4 has the forward's version-4 layout and
 * is the default where it applies, else version 1; version 3 was removed, no faster than version 1). Every
 * compiled version is selectable; the defaults are the fastest measured.
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
    /** Version-2 forward kernels compiled into the image: {states per thread, states whose exp runs on the FMA pipe}. */
    static final int[][] FORWARD2_KERNELS = {{4, 0}, {8, 0}, {16, 0}, {16, 1}, {16, 2}, {16, 3}};
    /** Version-3 forward kernels (4 lanes per channel, per-step work split between them): {states per lane, FMA exps}. */
    static final int[][] FORWARD3_KERNELS = {{4, 0}, {4, 1}, {8, 0}, {16, 0}};
    /**
     * Whether the backward's default is version 2 where it applies. It is not: on the H200 version 2 (one thread per
     * channel, one warp per scheduler) measured slower than version 1 (docs/benchmarks/scan-gpu.md).
     */
    public static final boolean DEFAULT_BACKWARD_V2 = false;
    /** The system property that picks the version-3 forward's code variant (see {@link #forward3Opt}). */
    public static final String FORWARD3_OPT_PROPERTY = "seqbench.scan.fwd3.opt";
    /**
     * The version-3 forward's code variant by default: 3 (softplus and the gate as compile-time flags, two 4-step
     * groups per loop iteration), the fastest of the four on the H200 (docs/benchmarks/scan-gpu.md).
     */
    public static final int DEFAULT_FORWARD3_OPT = 3;
    /**
     * The system property that says whether the version-2/3 forwards stage their tiles with the copy engine
     * ({@code true}) or per-thread cp.async ({@code false}); see {@link #forwardBulkDefault}.
     */
    public static final String FORWARD_BULK_PROPERTY = "seqbench.scan.fwd.bulk";
    /**
     * Whether the version-2/3 forwards use the copy engine by default (where the GPU has one and rows are aligned).
     * They do not: each bulk copy takes a per-thread address, which the compiler serialises over the warp's lanes
     * (R2UR, ELECT, UBLKCP in a loop), ~3 instructions per state update at the benchmark shape; per-thread 16-byte
     * cp.async measured 7% faster on the H200 (docs/benchmarks/scan-gpu.md).
     */
    public static final boolean DEFAULT_FORWARD_BULK = false;
    /**
     * The forward version {@link ForwardVariant#AUTO} runs: 4 where it applies ({@link #forward4Unavailable}),
     * else 3.
     */
    public static final int DEFAULT_FORWARD_VERSION = 4;
    /** Version-4 forward kernels compiled into the image: warps per block (4 states each). */
    static final int[] FORWARD4_KERNELS = {2, 4};
    /** The backward "states per lane" code that selects the version-2 backward (4, 8, 16 select version 1). */
    public static final int BACKWARD_V2 = 2;
    /**
     * The system property that overrides the default backward code ({@link #BACKWARD_V2}, 4, 8, 16,
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
     * Every backward choice, for sweeps and checks: version 2, then version 1 with 4, 8, 16 states per lane, then
     * version 3.
     */
    static final int[] BACKWARD_CHOICES = {BACKWARD_V2, 4, 8, 16, 400};
    /**
     * The backward code that selects version 4 ({@code seqbench_scan_bwd4}: one lane per channel, 4 warps of 4
     * states, state ≤ 16, channels per group a multiple of 32; elsewhere version 1 runs instead).
     */
    public static final int BACKWARD_V4 = 400;
    /** Row stride of the version-2 backward's exchange rows, floats. */
    static final int EXCHANGE_STRIDE = 68;

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
     * @param version          1, 2 or 3 (0: the default, {@link #DEFAULT_FORWARD_VERSION})
     * @param statesPerLane    NS: version 1 2, 4, 8 or 16; versions 2 and 3 4, 8 or 16
     * @param expOnFma         how many of a lane's states compute exp on the FMA pipe (polynomial) instead of the
     *                         special-function unit; only used when A ≤ 0 and Δ ≥ 0 are guaranteed (−1: choose)
     * @param channelsPerBlock CT, a power of two
     */
    public record ForwardVariant(int version, int statesPerLane, int expOnFma, int channelsPerBlock) {
        /** Let the geometry choose everything. */
        public static final ForwardVariant AUTO = new ForwardVariant(0, 0, -1, 0);

        public ForwardVariant {
            if (version < 0 || version > 4) {
                throw new IllegalArgumentException("version must be 0 (auto), 1, 2, 3 or 4, got " + version);
            }
            boolean v2 = version != 1;
            if (statesPerLane != 0 && statesPerLane != 4 && statesPerLane != 8 && statesPerLane != 16
                    && (v2 || statesPerLane != 2)) {
                throw new IllegalArgumentException("statesPerLane must be 0 (auto), " + (v2 ? "" : "2, ")
                        + "4, 8 or 16, got " + statesPerLane);
            }
            if (channelsPerBlock != 0 && Integer.bitCount(channelsPerBlock) != 1) {
                throw new IllegalArgumentException("channelsPerBlock must be 0 (auto) or a power of two, got "
                        + channelsPerBlock);
            }
        }

        /** A version-1 variant. */
        public static ForwardVariant v1(int statesPerLane, int expOnFma, int channelsPerBlock) {
            return new ForwardVariant(1, statesPerLane, expOnFma, channelsPerBlock);
        }

        /** A version-2 variant. */
        public static ForwardVariant v2(int statesPerLane, int expOnFma, int channelsPerBlock) {
            return new ForwardVariant(2, statesPerLane, expOnFma, channelsPerBlock);
        }

        /** A version-3 variant. */
        public static ForwardVariant v3(int statesPerLane, int expOnFma, int channelsPerBlock) {
            return new ForwardVariant(3, statesPerLane, expOnFma, channelsPerBlock);
        }

        /** The version-4 kernel (one lane per channel, 32 channels per block, warps splitting the states). */
        public static ForwardVariant v4() {
            return new ForwardVariant(4, 4, 0, 32);
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
     * @param version          the kernel generation, 1 or 2
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

    /**
     * The forward launch.
     *
     * @param expOnFmaAllowed whether A ≤ 0 and Δ ≥ 0 hold, so that the polynomial exp may be used
     */
    public static Launch forward(ScanShape s, boolean hasZ, Limits limits, ForwardVariant variant,
                                 boolean expOnFmaAllowed) {
        validate(s);
        int version = variant.version() == 0 ? DEFAULT_FORWARD_VERSION : variant.version();
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
        if (version == 1) {
            return forward1(s, hasZ, limits, variant, expOnFmaAllowed);
        }
        if (version == 3) {
            return forward3(s, hasZ, limits, variant, expOnFmaAllowed);
        }
        int ns = variant.statesPerLane() != 0 ? variant.statesPerLane() : defaultForward2StatesPerThread(s.state());
        int p = lanesPerChannel(s.state(), ns);
        int fma = variant.expOnFma() >= 0 ? variant.expOnFma() : defaultForward2ExpOnFma(ns);
        if (!expOnFmaAllowed) {
            fma = 0;
        }
        if (!hasKernel(FORWARD2_KERNELS, ns, fma)) {
            throw new IllegalArgumentException("no version-2 forward kernel with " + ns + " states per thread and "
                    + fma + " polynomial exps; compiled: ns4 and ns8 with 0, ns16 with 0-3");
        }
        int target = variant.channelsPerBlock() != 0 ? variant.channelsPerBlock() : defaultForward2Channels(p);
        int ct = channelsPerBlock(s, p, target, c -> forward2SharedBytes(c, ns * p, hasZ), limits);
        return new Launch("seqbench_scan_fwd2_ns" + ns + "_sw" + fma, s.channels() / ct, s.batch(), ct * p,
                (int) forward2SharedBytes(ct, ns * p, hasZ), ct, p, ns, fma, 2);
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
        int opt = ns == 4 && fma == 0 ? forward3Opt() : 0;
        return new Launch("seqbench_scan_fwd3_ns" + ns + "_sw" + fma + (opt != 0 ? "_o" + opt : ""),
                s.channels() / ct, s.batch(), ct * 4, (int) forward2SharedBytes(ct, ns * 4, hasZ), ct, 4, ns, fma, 3);
    }

    /** Why the version-4 forward cannot take this shape, or null when it can. */
    static String forward4Unavailable(ScanShape s, boolean hasZ, Limits limits) {
        if (s.state() > 16) {
            return "state " + s.state() + " > 16";
        }
        if ((s.channels() / s.effectiveGroups()) % 32 != 0) {
            return "channels per group (" + s.channels() / s.effectiveGroups() + ") not a multiple of 32";
        }
        if (forward4SharedBytes(4, 4, hasZ) > limits.maxSharedPerBlock()) {
            return "needs " + forward4SharedBytes(4, 4, hasZ) + " bytes of shared memory per block";
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

    /**
     * The code variant of the version-3 kernel with 4 states per lane: 0 as written, 1 two 4-step groups per loop
     * iteration, 2 softplus and the gate as compile-time flags, 3 both ({@link #DEFAULT_FORWARD3_OPT} unless the
     * system property {@code seqbench.scan.fwd3.opt} says otherwise; the benchmark sweeps them).
     */
    static int forward3Opt() {
        int opt = Integer.getInteger(FORWARD3_OPT_PROPERTY, DEFAULT_FORWARD3_OPT);
        if (opt < 0 || opt > 3) {
            throw new IllegalArgumentException(FORWARD3_OPT_PROPERTY + " must be 0-3, got " + opt);
        }
        return opt;
    }

    private static Launch forward1(ScanShape s, boolean hasZ, Limits limits, ForwardVariant variant,
                                   boolean expOnFmaAllowed) {
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
                (int) forwardSharedBytes(ct, ns * p, hasZ), ct, p, ns, fma, 1);
    }

    /** The backward launch (the scan kernel; the reduction is {@link #reduceBlocks}), everything chosen. */
    public static Launch backward(ScanShape s, boolean hasZ, Limits limits) {
        return backward(s, hasZ, limits, 0, true);
    }

    /**
     * The backward launch.
     *
     * @param statesPerLane {@link #BACKWARD_V2} for the version-2 kernel, 4, 8 or 16 for version 1 with that many
     *                      states per lane, 0 to choose (version 2 where it applies if {@link #DEFAULT_BACKWARD_V2},
     *                      else version 1)
     * @param alignedRows   the length is a multiple of 4 and every array is 16-byte aligned (the copy engine's
     *                      condition)
     */
    public static Launch backward(ScanShape s, boolean hasZ, Limits limits, int statesPerLane, boolean alignedRows) {
        validate(s);
        if (statesPerLane == BACKWARD_V2 || (statesPerLane == 0 && DEFAULT_BACKWARD_V2)) {
            String why = backward2Unavailable(s, limits, alignedRows);
            if (why == null) {
                int perGroup = s.channels() / s.effectiveGroups();
                int ct = perGroup % 128 == 0 && backward2SharedBytes(128) <= limits.maxSharedPerBlock() ? 128 : 32;
                return new Launch("seqbench_scan_bwd2_ns16", s.channels() / ct, s.batch(), ct,
                        (int) backward2SharedBytes(ct), ct, 1, 16, 0, 2);
            }
            if (statesPerLane == BACKWARD_V2) {
                throw new IllegalArgumentException("the version-2 backward cannot run this shape: " + why);
            }
        }
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
                    + " 16 (and " + BACKWARD_V2 + " for version 2)");
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
        if (s.state() > 16) {
            return "state " + s.state() + " > 16";
        }
        if ((s.channels() / s.effectiveGroups()) % 32 != 0) {
            return "channels per group (" + s.channels() / s.effectiveGroups() + ") not a multiple of 32";
        }
        if (backward4SharedBytes(8, 4, hasZ) > limits.maxSharedPerBlock()) {
            return "needs " + backward4SharedBytes(8, 4, hasZ) + " bytes of shared memory per block";
        }
        return null;
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

    /** Why the version-2 backward cannot take this shape, or null when it can. */
    static String backward2Unavailable(ScanShape s, Limits limits, boolean alignedRows) {
        if (!limits.bulkCopy()) {
            return "the GPU has no copy engine (compute capability below 9.0)";
        }
        if (!alignedRows) {
            return "the rows are not 16-byte aligned (length not a multiple of 4, or an unaligned array)";
        }
        if (s.state() > 16) {
            return "state " + s.state() + " > 16";
        }
        if ((s.channels() / s.effectiveGroups()) % 32 != 0) {
            return "channels per group (" + s.channels() / s.effectiveGroups() + ") not a multiple of 32";
        }
        if (backward2SharedBytes(32) > limits.maxSharedPerBlock()) {
            return "needs " + backward2SharedBytes(32) + " bytes of shared memory per block";
        }
        return null;
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

    static int defaultExpOnFma(int statesPerLane) {
        return 0;
    }

    static int defaultForwardChannels(int lanes) {
        return Math.max(1, MAX_THREADS / lanes);
    }

    /** Version 2: the fewest of 4, 8, 16 states per thread that hold the state (16 with several lanes above 16). */
    static int defaultForward2StatesPerThread(int state) {
        return state <= 4 ? 4 : state <= 8 ? 8 : 16;
    }

    static int defaultForward2ExpOnFma(int statesPerThread) {
        return 0;
    }

    /** Version 2: 32 channels (one warp) per block with one lane per channel. */
    static int defaultForward2Channels(int lanes) {
        return Math.max(1, 32 / lanes);
    }

    static boolean hasKernel(int[][] kernels, int ns, int fma) {
        for (int[] k : kernels) {
            if (k[0] == ns && k[1] == fma) {
                return true;
            }
        }
        return false;
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

    /** Shared memory of the version-2 forward: two stage buffers {u, Δ, z?, B, C}, two output tiles, two mbarriers. */
    static long forward2SharedBytes(int ct, int paddedState, boolean hasZ) {
        long buffer = (long) (2 + (hasZ ? 1 : 0)) * ct * TILE_STRIDE + 2L * paddedState * TILE_STRIDE;
        return 4 * (2 * buffer + 2L * ct * TILE_STRIDE) + 16;
    }

    /**
     * Shared memory of the version-2 backward: two stage buffers {u, Δ, z, dout, B[16], C[16]}, four checkpoints of
     * 16 states per thread, the exchange rows, the per-warp sums (double-buffered), two mbarriers.
     */
    static long backward2SharedBytes(int ct) {
        long buffer = 4L * ct * TILE_STRIDE + 32L * TILE_STRIDE;
        return 4 * (2 * buffer + 64L * ct + (long) EXCHANGE_STRIDE * ct + 2L * (ct / 32) * 64) + 16;
    }

    /** Shared memory of the backward: two stage buffers {u, Δ, z?, dout, B, C}, Δ·u, the staging region, carries. */
    static long backwardSharedBytes(int ct, int lanes, int statesPerLane, boolean hasZ) {
        int threads = ct * lanes;
        long buffer = (long) (3 + (hasZ ? 1 : 0)) * ct * TILE_STRIDE + 2L * statesPerLane * lanes * TILE_STRIDE;
        return 4 * (2 * buffer + (long) ct * TILE_STRIDE + (long) threads * regionStride(lanes)
                + 2L * statesPerLane * threads);
    }
}
