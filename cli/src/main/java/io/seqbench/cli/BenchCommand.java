package io.seqbench.cli;

import io.seqbench.kernels.cuda.CudaScanBenchmark;
import io.seqbench.kernels.scan.ScanImpl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code seqbench bench scan}: kernel benchmarks that print a table and write JSON. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark a kernel (a table on the console, the details as JSON).",
        subcommands = BenchCommand.Scan.class)
final class BenchCommand extends CommandGroup {

    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = {"The selective scan on the GPU (--impl cuda): forward, forward saving the chunk states, "
                    + "backward and forward+backward, median of CUDA-event timings after warm-up, with bytes moved, "
                    + "GB/s and the ratios to the memory floor and the exp floor (docs/benchmarks/scan-gpu.md).",
                    "The CPU implementations are benchmarked with JMH instead (docs/benchmarks/scan-cpu.md)."})
    static final class Scan implements Callable<Integer> {
        @Option(names = "--impl", paramLabel = "NAME", defaultValue = "cuda",
                description = "implementation: cuda (default: ${DEFAULT-VALUE})",
                converter = KernelCommand.ImplConverter.class)
        ScanImpl impl;

        @Option(names = "--out", paramLabel = "FILE", defaultValue = "scan-gpu-benchmark.json",
                description = "the JSON report (default: ${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--lengths", paramLabel = "L,L,...", defaultValue = "512,2048,8192",
                description = "sequence lengths (default: ${DEFAULT-VALUE})")
        String lengths;

        @Option(names = "--batch", defaultValue = "8", description = "batch (default: ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--channels", defaultValue = "2048", description = "channels (default: ${DEFAULT-VALUE})")
        int channels;

        @Option(names = "--state", defaultValue = "16", description = "state size (default: ${DEFAULT-VALUE})")
        int state;

        @Option(names = "--warmup", defaultValue = "10", description = "warm-up runs (default: ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--repeats", defaultValue = "50", description = "timed runs (default: ${DEFAULT-VALUE})")
        int repeats;

        @Option(names = "--sweep", description = "also time every compiled kernel variant")
        boolean sweep;

        @Override
        public Integer call() throws IOException {
            if (impl != ScanImpl.CUDA) {
                throw new BadInputException("bench scan measures --impl cuda; the CPU implementations ("
                        + impl.cliName() + ") are benchmarked with JMH (docs/benchmarks/scan-cpu.md)");
            }
            List<String> args = new ArrayList<>(List.of("--out", out.toString(), "--lengths", lengths,
                    "--batch", String.valueOf(batch), "--channels", String.valueOf(channels),
                    "--state", String.valueOf(state), "--warmup", String.valueOf(warmup),
                    "--repeats", String.valueOf(repeats)));
            if (sweep) {
                args.add("--sweep");
            }
            CudaScanBenchmark.run(args.toArray(new String[0]), System.out);
            return SeqBench.OK;
        }
    }
}
