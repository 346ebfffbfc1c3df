package io.seqbench.harness.store;

/** The state of a run as recorded in {@code run.json}. */
public enum RunStatus {
    /** Started and not finished; if its process is gone, the run was interrupted. */
    RUNNING,
    /** Finished all its steps. */
    COMPLETED,
    /** Stopped by an error (divergence, out of memory, a bug); {@code run.json} says why and at which step. */
    FAILED,
    /** Its process died without finishing (read-time status; the file still says RUNNING). */
    INTERRUPTED
}
