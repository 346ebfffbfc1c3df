package io.seqbench.harness.store;

import org.nd4j.linalg.factory.Nd4j;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The content of {@code env.json}: everything about the machine and software that can change a result.
 *
 * @param javaVersion    {@code java.version}
 * @param javaVm         VM name and vendor
 * @param nd4jVersion    version of nd4j-api on the classpath
 * @param nd4jBackend    ND4J backend class (CPU or CUDA)
 * @param opExecutioner  ND4J's op executioner class (SeqBench's Java-op executioner when installed)
 * @param threads        the pinned thread count of this run
 * @param cpuModel       processor name
 * @param physicalCores  physical cores
 * @param logicalCores   logical processors
 * @param memoryBytes    total physical memory
 * @param maxHeapBytes   the JVM's maximum heap
 * @param os             operating system and version
 * @param hostname       machine name
 * @param gitCommit      commit of the working tree the run was started from, or {@code null} outside git
 * @param gitDirty       whether tracked files had uncommitted changes, or {@code null} outside git
 */
public record Environment(String javaVersion, String javaVm, String nd4jVersion, String nd4jBackend,
                          String opExecutioner, int threads, String cpuModel, int physicalCores, int logicalCores,
                          long memoryBytes, long maxHeapBytes, String os, String hostname, String gitCommit,
                          Boolean gitDirty) {

    /** Reads the environment of this process, for a run pinned to {@code threads} threads. */
    public static Environment capture(int threads) {
        SystemInfo si = new SystemInfo();
        CentralProcessor cpu = si.getHardware().getProcessor();
        String commit = git("rev-parse", "HEAD");
        String status = commit == null ? null : git("status", "--porcelain", "--untracked-files=no");
        return new Environment(
                System.getProperty("java.version"),
                System.getProperty("java.vm.name") + " (" + System.getProperty("java.vm.vendor") + ")",
                readNd4jVersion(),
                Nd4j.getBackend().getClass().getName(),
                Nd4j.getExecutioner().getClass().getName(),
                threads,
                cpu.getProcessorIdentifier().getName().trim(),
                cpu.getPhysicalProcessorCount(),
                cpu.getLogicalProcessorCount(),
                si.getHardware().getMemory().getTotal(),
                Runtime.getRuntime().maxMemory(),
                si.getOperatingSystem().toString(),
                localHostname(),
                commit,
                status == null ? null : !status.isBlank());
    }

    /** The machine's name, or "unknown". */
    public static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "unknown" : env;
        }
    }

    static String readNd4jVersion() {
        try (InputStream in = Nd4j.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Output of a git command in the working directory, or {@code null} when git or the repo is absent. */
    static String git(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
