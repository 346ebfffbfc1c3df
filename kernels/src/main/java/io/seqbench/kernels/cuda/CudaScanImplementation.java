package io.seqbench.kernels.cuda;

import io.seqbench.kernels.scan.ScanGradients;
import io.seqbench.kernels.scan.ScanImplementation;
import io.seqbench.kernels.scan.ScanInputs;
import io.seqbench.kernels.scan.ScanOutputs;

/**
 * The CUDA kernels as a {@link ScanImplementation} (the {@code cuda} choice of {@code --impl}): host arrays in,
 * GPU 0 computes ({@link CudaSelectiveScan}), host arrays out. Throws {@link CudaUnavailableException} with the
 * reason when the kernels cannot run here; it never runs something else instead.
 */
public final class CudaScanImplementation implements ScanImplementation {

    private static final CudaScanImplementation SHARED = new CudaScanImplementation();

    private CudaScanImplementation() {
    }

    public static CudaScanImplementation shared() {
        return SHARED;
    }

    @Override
    public ScanOutputs forward(ScanInputs in, boolean returnLastState) {
        return CudaSelectiveScan.forward(in, returnLastState);
    }

    @Override
    public ScanGradients backward(ScanInputs in, float[] dout) {
        return CudaSelectiveScan.backward(in, dout);
    }
}
