package io.seqbench.cli;

import io.seqbench.kernels.cuda.Doctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code seqbench doctor}: which ND4J backend runs, the CPU, each GPU with its compute capability, whether ND4J's
 * CUDA backend and SeqBench's CUDA kernels can run on it, and what to install or change otherwise.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check this machine: ND4J backend, CPU model and cores, each GPU and its compute capability, "
                + "whether ND4J's CUDA backend (compute capability 3.7-8.6) and SeqBench's CUDA kernels (8.0+) "
                + "can run on it, and what to install or change otherwise."})
final class DoctorCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Override
    public Integer call() {
        Doctor.Report r = Doctor.report();
        spec.commandLine().getOut().print(json ? r.json() : r.text());
        spec.commandLine().getOut().flush();
        return SeqBench.OK;
    }
}
