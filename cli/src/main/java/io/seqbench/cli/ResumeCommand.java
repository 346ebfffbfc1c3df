package io.seqbench.cli;

import io.seqbench.harness.run.Runner;
import io.seqbench.harness.store.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code seqbench resume <run-dir>}: continue an interrupted training run from its last checkpoint. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continue an interrupted training run from its last checkpoint, in its own directory.",
                "The finished run's metrics equal those of a run that was never interrupted.",
                "It goes on in a child JVM that this one watches, as with `seqbench run`."})
final class ResumeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "the run directory, e.g. runs/out/<run-id>")
    Path runDir;

    @Mixin
    InProcessOption where = new InProcessOption();

    @Override
    public Integer call() throws Exception {
        if (!where.here()) {
            return InProcessOption.inWatchedChild(List.of("resume", runDir.toString()));
        }
        Runner runner = InProcessOption.runner(runDir.toAbsolutePath().getParent());
        Runner.Outcome outcome;
        try {
            outcome = runner.resume(runDir);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        return outcome.status() == RunStatus.COMPLETED ? SeqBench.OK : SeqBench.FAILED;
    }
}
