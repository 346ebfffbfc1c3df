package io.seqbench.harness.run;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM like this one: the same java, the same JVM options (heap, system properties,
 * {@code --add-modules}), the same class path. Suite workers and memory-probe points run in such children.
 */
public final class JvmCommand {
    private JvmCommand() {
    }

    /**
     * @param extraOptions JVM options added after this JVM's own (later options win)
     * @param mainClass    the child's main class
     * @param arguments    its arguments
     */
    public static List<String> of(List<String> extraOptions, String mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent")
                    && !option.startsWith("-Xdebug") && !option.startsWith("-Xrunjdwp")) {
                command.add(option);
            }
        }
        command.addAll(extraOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }
}
