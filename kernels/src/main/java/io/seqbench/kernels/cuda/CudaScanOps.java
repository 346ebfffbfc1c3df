package io.seqbench.kernels.cuda;

import io.seqbench.kernels.scan.ScanShape;

import java.util.Arrays;

/**
 * The SameDiff scan ops' device path, on device addresses in the ops' argument order (see
 * {@code SelectiveScanOp} and {@code SelectiveScanBackwardOp}): what their {@code DeviceJavaOp.computeOnDevice}
 * calls when ND4J runs on its CUDA backend and {@link ScanDispatch} chose the GPU. ND4J-free: the executioner has
 * already made the device copies current and turned the arrays into addresses (dense, C order, no offset).
 *
 * <p>The forward's checkpoints are the state entering each chunk of {@link ScanGeometry#CHUNK} steps (batch,
 * channels, chunks, state): the layout of the CPU op's checkpoints at that chunk length, so an op built with chunk
 * length 32 can run its forward and backward on either device.
 */
public final class CudaScanOps {

    private static DeviceBuffer scratch;

    private CudaScanOps() {
    }

    /**
     * The forward op.
     *
     * @param in  u, delta, A, B, C, then D, z, delta_bias where present
     * @param out out, the last state when requested, then the checkpoints
     */
    public static void forward(ScanShape s, boolean hasD, boolean hasZ, boolean hasBias, boolean softplus,
                               boolean lastState, int chunkLength, long[] in, long[] out) {
        requireChunk(chunkLength);
        ScanKernels.Inputs inputs = inputs(in, hasD, hasZ, hasBias);
        ScanModule module = ScanModule.shared();
        synchronized (module) {
            ScanKernels.forward(module, s, inputs, softplus, out[0], out[out.length - 1], lastState ? out[1] : 0,
                    ScanGeometry.ForwardVariant.AUTO, false);
            module.synchronize();
        }
    }

    /**
     * The backward op.
     *
     * @param in  the forward inputs (as in {@link #forward}), the checkpoints, d(out), then d(last state) when
     *            {@code lastState}
     * @param out the gradients of the forward inputs, in their order
     */
    public static void backward(ScanShape s, boolean hasD, boolean hasZ, boolean hasBias, boolean softplus,
                                boolean lastState, int chunkLength, long[] in, long[] out) {
        requireChunk(chunkLength);
        int n = 5 + (hasD ? 1 : 0) + (hasZ ? 1 : 0) + (hasBias ? 1 : 0);
        ScanKernels.Inputs inputs = inputs(Arrays.copyOf(in, n), hasD, hasZ, hasBias);
        long checkpoints = in[n];
        long dout = in[n + 1];
        long dLast = lastState ? in[n + 2] : 0;
        int i = 5;
        long dD = hasD ? out[i++] : 0;
        long dz = hasZ ? out[i++] : 0;
        long dBias = hasBias ? out[i] : 0;
        ScanKernels.Gradients g = new ScanKernels.Gradients(out[0], out[1], out[2], out[3], out[4], dD, dz, dBias);
        ScanModule module = ScanModule.shared();
        synchronized (module) {
            long partial = ScanKernels.maxBcPartialFloats(s, hasZ, module.limits());
            long bd = (long) s.batch() * s.channels();
            long floats = partial + bd * s.state() + 2 * bd;
            DeviceBuffer buf = scratch(module, floats);
            long base = buf.address();
            ScanKernels.BackwardScratch sc = new ScanKernels.BackwardScratch(base, base + 4 * partial,
                    base + 4 * (partial + bd * s.state()), base + 4 * (partial + bd * s.state() + bd));
            ScanKernels.backward(module, s, inputs, softplus, dout, dLast, checkpoints, g, sc);
            module.synchronize();
        }
    }

    private static ScanKernels.Inputs inputs(long[] in, boolean hasD, boolean hasZ, boolean hasBias) {
        int i = 5;
        long d = hasD ? in[i++] : 0;
        long z = hasZ ? in[i++] : 0;
        long bias = hasBias ? in[i] : 0;
        return new ScanKernels.Inputs(in[0], in[1], in[2], in[3], in[4], d, z, bias);
    }

    private static void requireChunk(int chunkLength) {
        if (chunkLength != ScanGeometry.CHUNK) {
            throw new IllegalArgumentException("the op was built with chunk length " + chunkLength + "; the CUDA"
                    + " kernels save the state every " + ScanGeometry.CHUNK + " steps (build the op with chunk length "
                    + ScanGeometry.CHUNK + " to run it on the GPU)");
        }
    }

    /** Work memory for the backward, grown on demand, kept for the process (the kernels run one at a time). */
    private static DeviceBuffer scratch(ScanModule module, long floats) {
        if (scratch == null || scratch.floats() < floats) {
            if (scratch != null) {
                scratch.close();
            }
            module.makeCurrent();
            scratch = DeviceBuffer.floats(floats);
        }
        return scratch;
    }
}
