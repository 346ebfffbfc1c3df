package io.seqbench.harness.probe;

import io.seqbench.harness.run.JvmCommand;
import io.seqbench.harness.run.ResidentMemory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One probe point in a fresh JVM, watched from outside. ND4J's CPU arrays live outside the Java heap and outside
 * JavaCPP's accounting, so no in-process limit stops a step that needs more memory than the machine has: the kernel
 * would kill the whole run. Here the parent polls the child's resident set every 20 ms and stops it when it passes
 * {@code memory_limit_mb}, or when it runs past its deadline; either way the parent records that result and goes
 * on.
 */
final class ProbeChild {
    /** How a child ended. */
    enum Ending { FINISHED, OVER_MEMORY, OVER_TIME }

    /**
     * @param ending   how it ended
     * @param exitCode its exit code (−1 when it was stopped)
     * @param output   everything it printed (stdout and stderr)
     * @param peakRss  the largest resident set seen by polling, in bytes
     */
    record Result(Ending ending, int exitCode, String output, long peakRss) {
        /** Whether the kernel or the JVM itself ran out of memory (a stop by the limit is {@link Ending#OVER_MEMORY}). */
        boolean killedForMemory() {
            return exitCode == 137 || output.contains("OutOfMemoryError");
        }

        String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines.length == 0 ? "" : lines[lines.length - 1];
        }
    }

    private ProbeChild() {
    }

    /** Runs {@code mainClass} with {@code arguments} in a child JVM with {@code threads} OpenMP threads. */
    static Result run(Class<?> mainClass, List<String> arguments, int threads, long memoryLimitBytes,
                      double timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = JvmCommand.of(List.of("-Xmx2g", "-Dorg.nd4j.log.initialization=false",
                "-Djava.awt.headless=true"), mainClass.getName(), arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        Process child = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                String text = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (output) {
                    output.append(text);
                }
            } catch (IOException e) {
                synchronized (output) {
                    output.append("(output unreadable: ").append(e.getMessage()).append(')');
                }
            }
        }, "probe-child-output");
        reader.start();
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        Ending ending = Ending.FINISHED;
        long peak = 0;
        while (child.isAlive()) {
            long rss = ResidentMemory.ofProcess(child.pid());
            peak = Math.max(peak, rss);
            if (rss > memoryLimitBytes) {
                ending = Ending.OVER_MEMORY;
                break;
            }
            if (System.nanoTime() > deadline) {
                ending = Ending.OVER_TIME;
                break;
            }
            child.waitFor(20, TimeUnit.MILLISECONDS);
        }
        if (ending != Ending.FINISHED) {
            child.destroyForcibly();
        }
        child.waitFor();
        reader.join();
        synchronized (output) {
            return new Result(ending, ending == Ending.FINISHED ? child.exitValue() : -1, output.toString(), peak);
        }
    }
}
