package io.seqbench.kernels.cuda;

/**
 * Whether SeqBench's CUDA kernels can run in this process, and if not, why.
 *
 * @param kind    the outcome
 * @param message one sentence for a user: what is missing and what to do
 */
public record CudaStatus(Kind kind, String message) {

    /** Outcomes of {@link CudaStatus#probe()}, in the order they are checked. */
    public enum Kind {
        /** The kernels were not compiled into this build (nvcc was not on the PATH at build time). */
        NOT_BUILT,
        /** JCuda's native library or the NVIDIA driver (libcuda.so.1) could not be loaded. */
        NO_DRIVER,
        /** The driver loaded but reports no usable GPU. */
        NO_DEVICE,
        /** A GPU is present but older than the kernels' minimum (compute capability 8.0). */
        UNSUPPORTED_DEVICE,
        /** Ready to run. */
        AVAILABLE
    }

    public boolean available() {
        return kind == Kind.AVAILABLE;
    }

    /** Throws {@link CudaUnavailableException} unless available. */
    public CudaStatus require() {
        if (!available()) {
            throw new CudaUnavailableException(this);
        }
        return this;
    }

    /** Probes the build, the driver and device 0 (cached after the first call; cheap afterwards). */
    public static CudaStatus probe() {
        return CudaDriver.status();
    }
}
