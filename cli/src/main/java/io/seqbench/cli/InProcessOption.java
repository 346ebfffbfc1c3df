package io.seqbench.cli;

import io.seqbench.harness.run.Runner;
import io.seqbench.harness.run.Supervisor;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** {@code --in-process}, shared by the commands that run a run ({@code run}, {@code resume}, {@code reproduce}). */
final class InProcessOption {
    @Option(names = "--in-process", description = {"run in this JVM instead of a watched child JVM (then a run",
            "killed by a signal, e.g. the out-of-memory killer, cannot say why in its record)"})
    boolean inProcess;

    /** Whether the run goes on in this JVM: asked for, or this is already a watched child or a suite's worker. */
    boolean here() {
        return inProcess || Supervisor.inProcess();
    }

    /** Runs {@code seqbench <arguments>} in a child JVM that this one watches ({@link Supervisor#run}). */
    static int inWatchedChild(List<String> arguments) throws IOException, InterruptedException {
        return Supervisor.run(SeqBench.class.getName(), arguments, System.err);
    }

    /** Where the run goes on: ND4J set up, the supervisor (if any) watched, a runner writing to this console. */
    static Runner runner(Path runsDir) {
        Nd4jSetup.ensure();
        Supervisor.watchParent();
        return new Runner(runsDir, System.out, System.console() != null, Clock.systemUTC());
    }
}
