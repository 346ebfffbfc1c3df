package io.seqbench.benchmarks;

import io.seqbench.benchmarks.scan.ScanMemoryReport;

import java.util.Arrays;

/**
 * The entry point of {@code benchmarks.jar}: JMH's command line ({@code java -jar benchmarks/target/benchmarks.jar
 * [JMH options] [benchmark regex]}), plus {@code scan-memory} for the selective scan's fresh-JVM peak-memory
 * report ({@link ScanMemoryReport}).
 */
public final class BenchmarkMain {
    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("scan-memory")) {
            ScanMemoryReport.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        org.openjdk.jmh.Main.main(args);
    }
}
