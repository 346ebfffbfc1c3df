package io.seqbench.reports;

/** A report that cannot be written (no runs, unreadable folder); the message says what to do. */
public final class ReportException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReportException(String message) {
        super(message);
    }

    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
