package io.seqbench.kernels.cuda;

/** The CUDA path cannot run here; {@link #status()} says why and what to do. */
public class CudaUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient CudaStatus status;

    public CudaUnavailableException(CudaStatus status) {
        super(status.message());
        this.status = status;
    }

    public CudaStatus status() {
        return status;
    }
}
