package io.seqbench.harness.run;

import io.seqbench.harness.probe.MemoryProbe;
import io.seqbench.harness.probe.ThroughputProbe;
import io.seqbench.harness.spec.ProbeSpec;
import io.seqbench.harness.spec.RunSpec;
import io.seqbench.harness.spec.Spec;
import io.seqbench.harness.spec.SpecReader;
import io.seqbench.harness.spec.SpecWriter;
import io.seqbench.harness.store.Environment;
import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunDirectory;
import io.seqbench.harness.store.RunInfo;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import io.seqbench.harness.store.RunStatus;
import io.seqbench.harness.store.Summary;
import io.seqbench.harness.train.Checkpoint;
import io.seqbench.harness.train.Trainer;
import io.seqbench.harness.train.TrainingFailure;
import io.seqbench.harness.train.TrainingListener;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs one validated spec end to end: creates the run directory, records spec, environment and status, trains,
 * and records the outcome. A run that fails (divergence, out of memory, an error) ends as {@code failed} in
 * {@code run.json} with the step and the reason; the exception never escapes as a crash without a record.
 */
public final class Runner {
    /** How a run ended. */
    public record Outcome(RunDirectory directory, RunStatus status, Summary summary, String failure) {
    }

    private final Path runsRoot;
    private final PrintStream console;
    private final boolean terminal;
    private final Clock clock;

    public Runner(Path runsRoot, PrintStream console, boolean terminal, Clock clock) {
        this.runsRoot = runsRoot;
        this.console = console;
        this.terminal = terminal;
        this.clock = clock;
    }

    /** Runs a spec of any kind (training or probe) in a new run directory. */
    public Outcome run(RunSpec spec) throws IOException {
        return spec instanceof Spec training ? train(training) : probe((ProbeSpec) spec);
    }

    /** Measures a probe spec in a new run directory; its results are the lines of metrics.jsonl. */
    public Outcome probe(ProbeSpec spec) throws IOException {
        RunDirectory dir = start(spec);
        RunInfo info = RunInfo.started(dir.id(), spec.name(), spec.kind(), clock.instant());
        dir.writeRun(info);
        try (dir) {
            java.util.function.Consumer<String> progress = message -> {
                console.println(spec.name() + ": " + message);
                dir.log(message);
            };
            java.util.function.Consumer<MetricsLine> sink = line -> {
                try {
                    dir.appendMetrics(line);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            if (ProbeSpec.THROUGHPUT.equals(spec.kind())) {
                new ThroughputProbe(spec, dir.path(), sink, progress).run();
            } else {
                new MemoryProbe(spec, dir.path(), sink, progress).run();
            }
            RunInfo done = info.completed(clock.instant());
            dir.writeRun(done);
            console.println(spec.name() + ": completed in " + ConsoleProgress.duration(done.wallSeconds()));
            return new Outcome(dir, RunStatus.COMPLETED, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(dir, info, 0, "interrupted");
        } catch (OutOfMemoryError e) {
            return fail(dir, info, 0, "out of memory: " + e.getMessage());
        } catch (RuntimeException e) {
            fail(dir, info, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
    }

    private RunDirectory start(RunSpec spec) throws IOException {
        RunDirectory dir = RunDirectory.create(runsRoot, spec.name(), clock.instant());
        dir.writeRun(RunInfo.started(dir.id(), spec.name(), spec.kind(), clock.instant()));
        dir.writeSpec(SpecWriter.toYaml(spec));
        dir.writeEnvironment(Environment.capture(spec.threads()));
        console.println("run " + dir.id() + " -> " + dir.path());
        dir.log("run " + dir.id());
        Supervisor.announce(dir.path());
        return dir;
    }

    /** Trains {@code spec} in a new run directory. */
    public Outcome train(Spec spec) throws IOException {
        RunDirectory dir = start(spec);
        RunInfo info = RunInfo.started(dir.id(), spec.name(), spec.kind(), clock.instant());
        dir.writeRun(info);
        return execute(spec, dir, info, Optional.empty(), List.of());
    }

    /**
     * Continues an interrupted run from its last checkpoint, in its own directory. Metrics logged after that
     * checkpoint are dropped first, so the finished run's metrics.jsonl equals that of an uninterrupted run.
     *
     * @throws IllegalArgumentException if the directory is not an interrupted run that can be resumed
     */
    public Outcome resume(Path runPath) throws IOException {
        RunRecord record = RunRecords.load(runPath);
        if (record.info() == null || record.specYaml() == null) {
            throw new IllegalArgumentException("cannot resume " + runPath + ": " + String.join("; ", record.problems()));
        }
        if (record.status() != RunStatus.INTERRUPTED) {
            throw new IllegalArgumentException("cannot resume " + runPath + ": it is "
                    + record.status().name().toLowerCase(java.util.Locale.ROOT)
                    + (record.status() == RunStatus.RUNNING ? " (process " + record.info().pid() + ")" : "")
                    + "; only interrupted runs can be resumed");
        }
        if (!"train".equals(record.info().kind())) {
            throw new IllegalArgumentException("cannot resume " + runPath + ": only training runs have checkpoints");
        }
        Spec spec = SpecReader.parse(record.specYaml(), List.of(), runPath.resolve(RunDirectory.SPEC).toString());
        RunDirectory dir = RunDirectory.open(runPath);
        Instant lastWrite = dir.lastWrite();  // before this process writes anything
        Supervisor.announce(runPath);
        Optional<Checkpoint> checkpoint = Checkpoint.latest(dir.checkpoints());
        long from = checkpoint.map(Checkpoint::step).orElse(0L);
        List<MetricsLine> kept = dir.truncateMetricsAfter(from);
        RunInfo info = record.info().restarted(clock.instant(), lastWrite);
        dir.writeRun(info);
        String line = "resuming " + dir.id() + " from " + (checkpoint.isPresent() ? "step " + from : "the start");
        console.println(line);
        dir.log(line);
        return execute(spec, dir, info, checkpoint, kept);
    }

    private Outcome execute(Spec spec, RunDirectory dir, RunInfo info, Optional<Checkpoint> resume,
                            List<MetricsLine> earlier) throws IOException {
        long step = 0;
        try (dir) {
            TrainingListener progress = new ConsoleProgress(console, terminal, dir::log, System::nanoTime,
                    spec.name());
            Trainer trainer = new Trainer(spec, dir, progress, System::nanoTime);
            for (MetricsLine m : earlier) {
                if (MetricsLine.EVAL.equals(m.kind())) {
                    trainer.addEarlierEvaluation(m.step(), m.values());
                } else if (MetricsLine.TRAIN.equals(m.kind()) && m.measured().containsKey("tokens_per_second")) {
                    trainer.addEarlierThroughput(m.measured().get("tokens_per_second"));
                }
            }
            Summary summary = trainer.train(resume);
            dir.writeSummary(summary);
            RunInfo done = info.completed(clock.instant());
            dir.writeRun(done);
            String line = "completed in " + ConsoleProgress.duration(done.wallSeconds()) + ": " + summary.finalEval();
            console.println(line);
            dir.log(line);
            return new Outcome(dir, RunStatus.COMPLETED, summary, null);
        } catch (TrainingFailure e) {
            step = e.step();
            return fail(dir, info, step, e.getMessage());
        } catch (OutOfMemoryError e) {
            return fail(dir, info, step, "out of memory: " + e.getMessage());
        } catch (RuntimeException e) {
            fail(dir, info, step, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
    }

    private Outcome fail(RunDirectory dir, RunInfo info, long step, String reason) throws IOException {
        dir.writeRun(info.failed(clock.instant(), step, reason));
        String line = "run " + dir.id() + " failed at step " + step + ": " + reason;
        console.println(line);
        dir.log(line);
        return new Outcome(dir, RunStatus.FAILED, null, reason);
    }
}
