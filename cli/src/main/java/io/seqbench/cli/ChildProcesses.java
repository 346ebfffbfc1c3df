package io.seqbench.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a worker process: this JVM's java, options and class path, running the SeqBench CLI. */
final class ChildProcesses {
    private ChildProcesses() {
    }

    static List<String> command(List<String> cliArguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent")) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SeqBench.class.getName());
        command.addAll(cliArguments);
        return command;
    }
}
