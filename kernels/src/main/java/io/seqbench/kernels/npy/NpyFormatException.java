package io.seqbench.kernels.npy;

import java.io.IOException;

/** A .npy file that cannot be read: bad magic, unsupported version, type or order, or a size that does not fit. */
public final class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    NpyFormatException(String message) {
        super(message);
    }
}
