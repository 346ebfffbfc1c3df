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
 * @param wallSeconds seconds from start to end, or {@code null} while running
 * @param failure     why and where it failed, or {@code null}
 * @param pid         the process that runs it
 * @param host        the machine it runs on
 */
public record RunInfo(String id, String name, String kind, RunStatus status, Instant startedAt, Instant endedAt,
                      Double wallSeconds, Failure failure, long pid, String host) {

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

    /** The same run, running again in this process (resumed); start time kept. */
    public RunInfo restarted(Instant now) {
        return new RunInfo(id, name, kind, RunStatus.RUNNING, startedAt, null, null, null,
                ProcessHandle.current().pid(), Environment.localHostname());
    }

    public RunInfo completed(Instant now) {
        return new RunInfo(id, name, kind, RunStatus.COMPLETED, startedAt, now, seconds(now), null, pid, host);
    }

    public RunInfo failed(Instant now, long step, String reason) {
        return new RunInfo(id, name, kind, RunStatus.FAILED, startedAt, now, seconds(now), new Failure(step, reason),
                pid, host);
    }

    /**
     * The same record with why its process died noted, its status unchanged ({@code RUNNING} on disk, read as
     * interrupted): written by a suite that saw its worker killed, so that the record says why. A resume clears it.
     */
    public RunInfo interruptedBecause(long step, String reason) {
        return new RunInfo(id, name, kind, status, startedAt, endedAt, wallSeconds, new Failure(step, reason), pid,
                host);
    }

    private double seconds(Instant now) {
        return (now.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
    }
}
