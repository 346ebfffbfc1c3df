package io.seqbench.harness.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The resident set (VmRSS) of a process, from /proc. */
public final class ResidentMemory {
    private ResidentMemory() {
    }

    /** VmRSS of process {@code pid} in bytes; 0 when it cannot be read (the process has ended, or no /proc). */
    public static long ofProcess(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** VmRSS of this process in bytes; 0 when it cannot be read. */
    public static long ofThisProcess() {
        return ofProcess(ProcessHandle.current().pid());
    }
}
