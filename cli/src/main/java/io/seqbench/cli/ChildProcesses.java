package io.seqbench.cli;

import io.seqbench.harness.run.JvmCommand;
import io.seqbench.harness.run.Supervisor;

import java.util.List;

/**
 * The command line of a suite worker: a JVM like this one running the SeqBench CLI, in process (the suite watches its
 * workers itself and notes why one was killed).
 */
final class ChildProcesses {
    private ChildProcesses() {
    }

    static List<String> command(List<String> cliArguments) {
        return JvmCommand.of(List.of("-D" + Supervisor.IN_PROCESS_PROPERTY + "=true"), SeqBench.class.getName(),
                cliArguments);
    }
}
