package io.seqbench.cli;

import io.seqbench.kernels.scan.ScanFiles;
import io.seqbench.kernels.scan.ScanFilesException;
import io.seqbench.kernels.scan.ScanImpl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code seqbench kernel scan}: run a kernel on .npy files, to compare SeqBench with other implementations. */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Run a kernel on arrays in files.",
        subcommands = KernelCommand.Scan.class)
final class KernelCommand extends CommandGroup {

    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = {"The selective scan (Mamba's selective_scan_fn contract) on .npy files.",
                    "Reads u, delta, A, B, C (and D, z, delta_bias, dy when present) from --in; writes y and, when "
                            + "dy.npy is given, du, ddelta, dA, dB, dC (and dD, dz, ddelta_bias for the optional "
                            + "inputs given) to --out.",
                    "Nothing is written to --out when an input is missing or malformed."})
    static final class Scan implements Callable<Integer> {
        @Option(names = "--in", required = true, paramLabel = "DIR", description = "folder with the input .npy files")
        Path in;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for the outputs")
        Path out;

        @Option(names = "--softplus", description = "Δ = softplus(delta + delta_bias)")
        boolean softplus;

        @Option(names = "--impl", paramLabel = "NAME", defaultValue = "fused",
                description = "implementation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
                converter = ImplConverter.class, completionCandidates = ImplNames.class)
        ScanImpl impl;

        @Override
        public Integer call() {
            Nd4jSetup.ensure();
            try {
                ScanFiles.Summary summary = ScanFiles.run(in, out, softplus, impl);
                System.out.println("scan " + summary.shape() + " with " + summary.impl().description() + ": wrote "
                        + String.join(", ", summary.written()) + " to " + out
                        + (summary.ignored().isEmpty() ? "" : " (ignored: " + String.join(", ", summary.ignored()) + ")"));
                return SeqBench.OK;
            } catch (ScanFilesException e) {
                throw new BadInputException(e.getMessage(), e);
            }
        }
    }

    /** Parses --impl with the error message of {@link ScanImpl#parse}. */
    static final class ImplConverter implements picocli.CommandLine.ITypeConverter<ScanImpl> {
        @Override
        public ScanImpl convert(String value) {
            try {
                return ScanImpl.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The --impl names for the help text. */
    static final class ImplNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(ScanImpl.values()).map(ScanImpl::cliName).iterator();
        }
    }
}
