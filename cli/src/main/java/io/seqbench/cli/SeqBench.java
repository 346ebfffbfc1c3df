package io.seqbench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code seqbench} command line. Every subcommand that touches ND4J installs SeqBench's Java ops first
 * ({@link Nd4jSetup}); exit codes: 0 success, 1 a run or job failed, 2 bad input (spec, flag, file).
 */
@Command(name = "seqbench",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Compare RNN, CNN, Transformer, S4 and Mamba sequence models on the tasks that separate them.",
        subcommands = {RunCommand.class, SuiteCommand.class, ResumeCommand.class, ReproduceCommand.class,
                ReportCommand.class,
                KernelCommand.class, BenchCommand.class, DoctorCommand.class, DataCommand.class,
                CommandLine.HelpCommand.class})
public final class SeqBench extends CommandGroup {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        // ND4J warns about its own duplicate TensorFlow op mappings at start-up; nothing a user can act on
        System.setProperty("org.slf4j.simpleLogger.log.org.nd4j.imports.converters.ImportClassMapping", "error");
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the CLI with the given streams; returns the exit code. */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new SeqBench());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return e instanceof BadInputException ? BAD_INPUT : FAILED;
        });
        return cli.execute(args);
    }
}
