package io.seqbench.harness.store;

import java.time.Instant;

/**
 * The content of {@code run.json}: identity and lifecycle of one run.
 *
 * @param id          unique run id (also the directory name)
 * @param name        the spec's name
 * @param kind        what the run does: {@code train} (more kinds: probes)
 * @param status      lifecycle state
 * @param startedAt   when the run started (ISO-8601)
 * @param endedAt     when it ended, or {@code null} while running
 * @param wallSeconds seconds the run's processes ran, or {@code null} while running: from start to end, less the
 *                    pauses of a resumed run (see {@code earlierSeconds})
 * @param failure     why and where it failed, or {@code null}
 * @param pid         the process that runs it
 * @param host        the machine it runs on
 * @param resumedAt   when its current process resumed it, or {@code null} if it was never interrupted
 * @param earlierSeconds seconds its earlier processes ran, or {@code null} if it was never interrupted: each counted
 *                    from its start to the last write it made to the run directory (its time of death is not
 *                    recorded), so a pause between interruption and resume is not counted
 */
public record RunInfo(String id, String name, String kind, RunStatus status, Instant startedAt, Instant endedAt,
                      Double wallSeconds, Failure failure, long pid, String host, Instant resumedAt,
                      Double earlierSeconds) {

    /** A run that was never resumed. */
    public RunInfo(String id, String name, String kind, RunStatus status, Instant startedAt, Instant endedAt,
                   Double wallSeconds, Failure failure, long pid, String host) {
        this(id, name, kind, status, startedAt, endedAt, wallSeconds, failure, pid, host, null, null);
    }

    /**
     * Why a run failed.
     *
     * @param step   the step at which it failed (0 before training started)
     * @param reason a human-readable cause
     */
    public record Failure(long step, String reason) {
    }

    public static RunInfo started(String id, String name, String kind, Instant now) {
        return new RunInfo(id, name, kind, RunStatus.RUNNING, now, null, null, null, ProcessHandle.current().pid(),
                Environment.localHostname());
    }

    /**
     * The same run, running again in this process (resumed); start time kept.
     *
     * @param lastWrite when the interrupted process last wrote to the run directory: the end of its time
     */
    public RunInfo restarted(Instant now, Instant lastWrite) {
        Instant segmentStart = resumedAt != null ? resumedAt : startedAt;
        double segment = Math.max(0.0, (lastWrite.toEpochMilli() - segmentStart.toEpochMilli()) / 1000.0);
        double earlier = (earlierSeconds != null ? earlierSeconds : 0.0) + segment;
        return new RunInfo(id, name, kind, RunStatus.RUNNING, startedAt, null, null, null,
                ProcessHandle.current().pid(), Environment.localHostname(), now, earlier);
    }

    public RunInfo completed(Instant now) {
        return new RunInfo(id, name, kind, RunStatus.COMPLETED, startedAt, now, seconds(now), null, pid, host,
                resumedAt, earlierSeconds);
    }

    public RunInfo failed(Instant now, long step, String reason) {
        return new RunInfo(id, name, kind, RunStatus.FAILED, startedAt, now, seconds(now), new Failure(step, reason),
                pid, host, resumedAt, earlierSeconds);
    }

    /**
     * The same record with why its process died noted, its status unchanged ({@code RUNNING} on disk, read as
     * interrupted): written by a suite that saw its worker killed, so that the record says why. A resume clears it.
     */
    public RunInfo interruptedBecause(long step, String reason) {
        return new RunInfo(id, name, kind, status, startedAt, endedAt, wallSeconds, new Failure(step, reason), pid,
                host, resumedAt, earlierSeconds);
    }

    /** Seconds the run's processes have run by {@code now}, this one included. */
    private double seconds(Instant now) {
        if (resumedAt == null) {
            return (now.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
        }
        return earlierSeconds + (now.toEpochMilli() - resumedAt.toEpochMilli()) / 1000.0;
    }
}
