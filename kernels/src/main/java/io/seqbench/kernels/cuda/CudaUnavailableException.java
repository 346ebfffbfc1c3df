package io.seqbench.kernels.cuda;

/** The CUDA path cannot run here: "CUDA not available: " and the reason; {@link #status()} says what to do. */
public class CudaUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient CudaStatus status;

    public CudaUnavailableException(CudaStatus status) {
        super("CUDA not available: " + status.message());
        this.status = status;
    }

    public CudaStatus status() {
        return status;
    }
}
