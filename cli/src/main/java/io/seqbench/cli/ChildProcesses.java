package io.seqbench.cli;

import io.seqbench.harness.run.JvmCommand;

import java.util.List;

/** The command line of a suite worker: a JVM like this one running the SeqBench CLI. */
final class ChildProcesses {
    private ChildProcesses() {
    }

    static List<String> command(List<String> cliArguments) {
        return JvmCommand.of(List.of(), SeqBench.class.getName(), cliArguments);
    }
}
