package io.seqbench.tasks.text;

/**
 * Receives progress of long work (downloading and installing a corpus). Implementations must be cheap; they are
 * called from the working thread.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores every update. */
    ProgressListener SILENT = (stage, done, total) -> {
    };

    /**
     * One update.
     *
     * @param stage what is happening, a short phrase such as {@code "extracting"}
     * @param done  units of work done in this stage so far
     * @param total units of work in this stage, or −1 when unknown
     */
    void progress(String stage, long done, long total);
}
