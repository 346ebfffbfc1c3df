package io.seqbench.kernels.cuda;

/** A CUDA driver call returned an error; the message names the call and the driver's error name. */
public class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    public CudaException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The {@code CUresult} the driver returned. */
    public int code() {
        return code;
    }
}
