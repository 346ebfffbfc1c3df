package io.seqbench.harness.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's memory figures (VmRSS, VmHWM, …) from /proc/&lt;pid&gt;/status. */
public final class ResidentMemory {
    private ResidentMemory() {
    }

    /**
     * The {@code kB} field {@code field} (e.g. {@code VmRSS}, {@code VmHWM}) of /proc/{@code pid}/status, in bytes.
     *
     * @throws IOException when the file cannot be read or has no such field (not Linux, or the process has ended)
     */
    public static long field(long pid, String field) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field + ":")) {
                try {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]) * 1024;
                } catch (NumberFormatException e) {
                    throw new IOException(status + ": cannot read " + field + " from '" + line + "'", e);
                }
            }
        }
        throw new IOException(status + " has no " + field + " (memory figures need Linux)");
    }

    /** VmRSS of process {@code pid} in bytes; 0 when it cannot be read (the process has ended, or no /proc). */
    public static long ofProcess(long pid) {
        try {
            return field(pid, "VmRSS");
        } catch (IOException e) {
            return 0;
        }
    }

    /** VmRSS of this process in bytes; 0 when it cannot be read. */
    public static long ofThisProcess() {
        return ofProcess(ProcessHandle.current().pid());
    }
}
