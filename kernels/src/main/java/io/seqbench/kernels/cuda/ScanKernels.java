package io.seqbench.kernels.cuda;

import io.seqbench.kernels.scan.ScanShape;

/**
 * Launches the selective-scan kernels on arrays that are already on the device, given by their addresses. Both
 * the host API ({@link ScanWorkspace}) and ND4J's CUDA backend (device buffers of INDArrays) come through here.
 * All arrays are dense, row-major float32 in the contract's layouts.
 */
public final class ScanKernels {

    private ScanKernels() {
    }

    /** Device addresses of one call's inputs; 0 for an absent optional input. */
    public record Inputs(long u, long delta, long a, long b, long c, long d, long z, long deltaBias) {
        public Inputs {
            if (u == 0 || delta == 0 || a == 0 || b == 0 || c == 0) {
                throw new IllegalArgumentException("u, delta, A, B and C are required (a null device address was"
                        + " given)");
            }
        }
    }

    /** Device addresses of the gradients to write; dD, dz and dDeltaBias are 0 when that input is absent. */
    public record Gradients(long du, long dDelta, long dA, long dB, long dC, long dD, long dz, long dDeltaBias) {
    }

    /**
     * Work arrays of the backward (see {@link ScanGeometry#bcPartialFloats}): per-block B/C gradient sums, and
     * per-batch-row sums of dA (batch·channels·state), dD and d(delta_bias) (batch·channels each).
     */
    public record BackwardScratch(long bcPartial, long aPartial, long dPartial, long biasPartial) {
    }

    /**
     * Runs the forward kernel.
     *
     * @param out       (batch, channels, length)
     * @param carries   0, or (batch, channels, chunks, state) to save the state at the end of every chunk for
     *                  {@link #backward}
     * @param lastState 0, or (batch, channels, state)
     * @param expOnFmaAllowed whether A ≤ 0 and Δ ≥ 0 are guaranteed (enables the polynomial-exp variants)
     * @return the launch that ran
     */
    public static ScanGeometry.Launch forward(ScanModule module, ScanShape s, Inputs in, boolean softplus, long out,
                                              long carries, long lastState, ScanGeometry.ForwardVariant variant,
                                              boolean expOnFmaAllowed) {
        return forward(module, s, in, softplus, out, carries, lastState, variant, expOnFmaAllowed,
                ScanGeometry.forwardBulkDefault());
    }

    /**
     * {@link #forward} choosing whether the version-3 kernel may stage with the copy engine ({@code allowBulk}; it
     * does where the GPU has one and the rows are aligned, else per-thread cp.async).
     */
    public static ScanGeometry.Launch forward(ScanModule module, ScanShape s, Inputs in, boolean softplus, long out,
                                              long carries, long lastState, ScanGeometry.ForwardVariant variant,
                                              boolean expOnFmaAllowed, boolean allowBulk) {
        boolean aligned = vec4(s.length(), in.u(), in.delta(), in.z(), in.b(), in.c(), out);
        ScanGeometry.Launch l = ScanGeometry.forward(s, in.z() != 0, module.limits(), variant, expOnFmaAllowed,
                aligned16(in.u(), in.delta(), in.z(), in.b(), in.c(), out));
        int vec4 = aligned ? 1 : 0;
        int bulk = l.version() == 3 && allowBulk && aligned && module.limits().bulkCopy() ? 1 : 0;  // versions 4, 5 ignore it
        module.launch(l.kernel(), l.gridX(), l.gridY(), l.threads(), l.sharedBytes(),
                in.u(), in.delta(), in.a(), in.b(), in.c(), in.d(), in.z(), in.deltaBias(), out, carries,
                lastState, s.channels(), s.length(), s.state(), s.effectiveGroups(), l.lanesPerChannel(),
                softplus ? 1 : 0, vec4, bulk);
        return l;
    }

    /**
     * Runs the backward kernel and its reduction. {@code carries} must come from {@link #forward} on the same
     * inputs.
     *
     * @param dout  (batch, channels, length)
     * @param dLast 0, or (batch, channels, state): the gradient with respect to the last state
     */
    public static ScanGeometry.Launch backward(ScanModule module, ScanShape s, Inputs in, boolean softplus,
                                               long dout, long dLast, long carries, Gradients g,
                                               BackwardScratch scratch) {
        return backward(module, s, in, softplus, dout, dLast, carries, g, scratch, 0);
    }

    /**
     * {@link #backward} with a chosen kernel: {@link ScanGeometry#BACKWARD_V4}, or 4, 8, 16 states per lane of
     * version 1 (0: the default).
     */
    public static ScanGeometry.Launch backward(ScanModule module, ScanShape s, Inputs in, boolean softplus,
                                               long dout, long dLast, long carries, Gradients g,
                                               BackwardScratch scratch, int statesPerLane) {
        if (carries == 0) {
            throw new IllegalArgumentException("the backward needs the carries saved by the forward");
        }
        boolean aligned = vec4(s.length(), in.u(), in.delta(), in.z(), in.b(), in.c(), dout, g.du(), g.dDelta(),
                g.dz(), scratch.bcPartial());
        ScanGeometry.Launch l = ScanGeometry.backward(s, in.z() != 0, module.limits(), statesPerLane, aligned);
        int vec4 = aligned ? 1 : 0;
        module.launch(l.kernel(), l.gridX(), l.gridY(), l.threads(), l.sharedBytes(),
                in.u(), in.delta(), in.a(), in.b(), in.c(), in.d(), in.z(), in.deltaBias(), dout, dLast, carries,
                g.du(), g.dDelta(), g.dz(), scratch.bcPartial(), scratch.aPartial(), scratch.dPartial(),
                scratch.biasPartial(), s.channels(), s.length(), s.state(), s.effectiveGroups(),
                l.lanesPerChannel(), softplus ? 1 : 0, vec4);
        module.launch("seqbench_scan_bwd_reduce", ScanGeometry.reduceBlocks(s, module.limits()), 1, 256, 0,
                scratch.bcPartial(), scratch.aPartial(), scratch.dPartial(), scratch.biasPartial(), g.dB(), g.dC(),
                g.dA(), g.dD(), g.dDeltaBias(), s.batch(), s.channels(), s.length(), s.state(),
                s.effectiveGroups(), l.gridX());
        return l;
    }

    /** The most per-block B/C partial floats any backward choice needs for this shape (for sizing work memory). */
    static long maxBcPartialFloats(ScanShape s, boolean hasZ, ScanGeometry.Limits limits) {
        long partial = 0;
        for (int choice : ScanGeometry.BACKWARD_CHOICES) {
            try {
                partial = Math.max(partial, ScanGeometry.bcPartialFloats(s, ScanGeometry.backward(s, hasZ, limits,
                        choice, true)));
            } catch (IllegalArgumentException e) {
                // that choice does not apply to this shape
            }
        }
        return partial;
    }

    /** 16-byte staging is possible: the length is a multiple of 4 and every given address is 16-byte aligned. */
    static boolean vec4(int length, long... addresses) {
        return length % 4 == 0 && aligned16(addresses);
    }

    /** Every given address is a multiple of 16 bytes. */
    static boolean aligned16(long... addresses) {
        for (long a : addresses) {
            if (a % 16 != 0) {
                return false;
            }
        }
        return true;
    }
}
