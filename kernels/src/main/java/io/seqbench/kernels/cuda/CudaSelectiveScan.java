package io.seqbench.kernels.cuda;

import io.seqbench.kernels.scan.ScanGradients;
import io.seqbench.kernels.scan.ScanInputs;
import io.seqbench.kernels.scan.ScanOutputs;

/**
 * The selective scan on the GPU, on host arrays: copies the inputs to GPU 0, runs the fused CUDA kernels and
 * copies the results back. The same contract as {@code SelectiveScanReference}; no ND4J involved.
 *
 * <p>Throws {@link CudaUnavailableException} (with the reason: not built, no driver, no GPU, GPU too old) when the
 * kernels cannot run here; never falls back to the CPU silently.
 */
public final class CudaSelectiveScan {

    private CudaSelectiveScan() {
    }

    /**
     * The forward pass.
     *
     * @param returnLastState whether to return h at the last position, (batch, channels, state)
     */
    public static ScanOutputs forward(ScanInputs in, boolean returnLastState) {
        ScanModule module = ScanModule.shared();
        synchronized (module) {
            try (ScanWorkspace w = ScanWorkspace.of(module, in)) {
                w.forward(false, returnLastState);
                return w.outputs(returnLastState);
            }
        }
    }

    /** The backward pass: the gradients of Σ dout·out (the forward is recomputed on the GPU first). */
    public static ScanGradients backward(ScanInputs in, float[] dout) {
        return backward(in, dout, null);
    }

    /**
     * The backward pass when the loss also depends on the last state.
     *
     * @param dout       (batch, channels, length)
     * @param dLastState (batch, channels, state), or {@code null}
     */
    public static ScanGradients backward(ScanInputs in, float[] dout, float[] dLastState) {
        long seq = in.shape().sequenceElements();
        if (dout == null || dout.length != seq) {
            throw new IllegalArgumentException("dout has " + (dout == null ? "no" : dout.length) + " elements,"
                    + " expected " + seq);
        }
        long stateElems = (long) in.shape().batch() * in.shape().channels() * in.shape().state();
        if (dLastState != null && dLastState.length != stateElems) {
            throw new IllegalArgumentException("dLastState has " + dLastState.length + " elements, expected "
                    + stateElems);
        }
        ScanModule module = ScanModule.shared();
        synchronized (module) {
            try (ScanWorkspace w = ScanWorkspace.of(module, in)) {
                w.uploadDout(dout);
                if (dLastState != null) {
                    w.uploadDLastState(dLastState);
                }
                w.forward(true, false);
                w.backward(dLastState != null);
                return w.gradients();
            }
        }
    }
}
