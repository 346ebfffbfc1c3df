package io.seqbench.benchmarks.scan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link ScanMemoryProbe} in one fresh JVM per (implementation, length, op) and writes the JSON lines as a
 * JSON array. Usage: {@code java -jar benchmarks.jar scan-memory [OUTPUT.json] [length ...]} (default output
 * {@code scan-cpu-memory.json}, lengths 256 1024 4096).
 */
public final class ScanMemoryReport {
    /** JVM options of every probe: a pre-touched fixed heap, so RSS growth is off-heap memory only. */
    static final List<String> JVM_ARGS = List.of("--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g",
            "-XX:+AlwaysPreTouch", "-Dopexec=io.seqbench.kernels.op.JavaOpExecutioner",
            "-Dorg.nd4j.log.initialization=false", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private ScanMemoryReport() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path output = Path.of(args.length > 0 ? args[0] : "scan-cpu-memory.json");
        List<Integer> lengths = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            lengths.add(Integer.parseInt(args[i]));
        }
        if (lengths.isEmpty()) {
            lengths = List.of(256, 1024, 4096);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> lines = new ArrayList<>();
        for (int length : lengths) {
            for (String op : List.of("forward", "forwardBackward")) {
                for (String impl : List.of("fused", "composite", "reference")) {
                    List<String> command = new ArrayList<>();
                    command.add(java);
                    command.addAll(JVM_ARGS);
                    command.add("-cp");
                    command.add(System.getProperty("java.class.path"));
                    command.add(ScanMemoryProbe.class.getName());
                    command.add(impl);
                    command.add(Integer.toString(length));
                    command.add(op);
                    String line = runProbe(command);
                    System.out.println(line);
                    lines.add(line);
                }
            }
        }
        Files.writeString(output, "[\n  " + String.join(",\n  ", lines) + "\n]\n");
        System.out.println("wrote " + output.toAbsolutePath());
    }

    private static String runProbe(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                all.append(line).append('\n');
                if (line.startsWith("{\"impl\"")) {
                    result = line;
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || result == null) {
            throw new IOException("probe " + command.subList(command.size() - 3, command.size()) + " failed (exit "
                    + exit + "):\n" + all);
        }
        return result;
    }
}
