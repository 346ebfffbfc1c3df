package io.seqbench.harness.run;

import io.seqbench.harness.spec.Spec;
import io.seqbench.harness.spec.SpecWriter;
import io.seqbench.harness.store.Environment;
import io.seqbench.harness.store.RunDirectory;
import io.seqbench.harness.store.RunInfo;
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

    /** Trains {@code spec} in a new run directory. */
    public Outcome train(Spec spec) throws IOException {
        RunDirectory dir = RunDirectory.create(runsRoot, spec.name(), clock.instant());
        RunInfo info = RunInfo.started(dir.id(), spec.name(), "train", clock.instant());
        dir.writeRun(info);
        dir.writeSpec(SpecWriter.toYaml(spec));
        dir.writeEnvironment(Environment.capture(spec.train().threads()));
        console.println("run " + dir.id() + " -> " + dir.path());
        dir.log("run " + dir.id());
        return execute(spec, dir, info, Optional.empty());
    }

    private Outcome execute(Spec spec, RunDirectory dir, RunInfo info, Optional<Checkpoint> resume)
            throws IOException {
        long step = 0;
        try (dir) {
            TrainingListener progress = new ConsoleProgress(console, terminal, dir::log, System::nanoTime,
                    spec.name());
            Trainer trainer = new Trainer(spec, dir, progress, System::nanoTime);
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
