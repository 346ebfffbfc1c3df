package io.seqbench.kernels.scan;

/**
 * Why {@link ScanFiles#run} refused or failed: a missing or unreadable input file, a wrong shape or dtype, or an
 * output that could not be written. The message is meant for the user as is; nothing was written to the output
 * directory.
 */
public final class ScanFilesException extends Exception {
    private static final long serialVersionUID = 1L;

    ScanFilesException(String message) {
        super(message);
    }

    ScanFilesException(String message, Throwable cause) {
        super(message, cause);
    }
}
