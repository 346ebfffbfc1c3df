package io.seqbench.harness.run;

import io.seqbench.harness.store.RunRecords;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a run in a child JVM and watches it, so that a run whose process is killed still says why in its record.
 * A process cannot record its own SIGKILL (the kernel's out-of-memory killer sends one), and SIGINT or SIGTERM end
 * the JVM without a word either. The child, started with {@link #RUN_DIR_FILE_PROPERTY}, names its run directory
 * in that file ({@link #announce}); when it dies of a signal and leaves its run unfinished, the supervisor writes the
 * reason into {@code run.json} ({@link RunRecords#noteInterruption}) and prints it. Its I/O is the child's (the
 * terminal, progress display included). A SIGINT or SIGTERM to the supervisor is passed on to the child, whose
 * death is then noted the same way; a supervisor that is itself killed takes the child with it ({@link
 * #watchParent}).
 */
public final class Supervisor {
    /** The system property naming the file in which a supervised child writes its run directory. */
    public static final String RUN_DIR_FILE_PROPERTY = "seqbench.runDirFile";

    /** The system property that says a run command runs in this JVM (suite workers: the suite watches them). */
    public static final String IN_PROCESS_PROPERTY = "seqbench.inProcess";

    private static final long SAMPLE_MS = 500;

    private Supervisor() {
    }

    /** True in a child started by {@link #run}. */
    public static boolean isChild() {
        return System.getProperty(RUN_DIR_FILE_PROPERTY) != null;
    }

    /** True where a run command should run in this JVM: in a child of {@link #run}, or a suite's worker. */
    public static boolean inProcess() {
        return isChild() || Boolean.getBoolean(IN_PROCESS_PROPERTY);
    }

    /** The run directory this child announced, for the note it leaves if its supervisor dies first. */
    private static volatile Path announced;

    /** In a supervised child: names the run directory to the supervisor; elsewhere nothing. */
    public static void announce(Path runDir) throws IOException {
        String file = System.getProperty(RUN_DIR_FILE_PROPERTY);
        if (file != null) {
            Files.writeString(Path.of(file), runDir.toAbsolutePath().toString(), StandardCharsets.UTF_8);
            announced = runDir.toAbsolutePath();
        }
    }

    /**
     * In a supervised child: ends this JVM (exit status 143, as a SIGTERM would) when the supervisor's process
     * ends, so that a supervisor killed by SIGKILL does not leave its run going on unwatched. The run's record
     * then says so itself, since no supervisor is left to write the note.
     */
    public static void watchParent() {
        if (isChild()) {
            ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> {
                noteOrphaned(p.pid());
                System.exit(143);
            }));
        }
    }

    private static void noteOrphaned(long supervisorPid) {
        Path dir = announced;
        if (dir == null) {
            return;  // no run created yet
        }
        try {
            RunRecords.noteOwnInterruption(dir, "the seqbench process watching it (pid " + supervisorPid
                    + ") ended first, most often by SIGKILL (a supervisor stopped by Ctrl-C or SIGTERM stops its"
                    + " run and says so), and the run stopped with it; `seqbench resume " + dir
                    + "` continues it from its last checkpoint");
        } catch (IOException | RuntimeException e) {
            System.err.println("seqbench: could not note in " + dir + " why the run stopped: " + e.getMessage());
        }
    }

    /**
     * Runs {@code mainClass} with {@code arguments} in a child JVM like this one and waits for it.
     *
     * @param notes where the supervisor says why a run was killed
     * @return the child's exit status (128 + the signal's number when a signal ended it)
     */
    public static int run(String mainClass, List<String> arguments, PrintStream notes)
            throws IOException, InterruptedException {
        Path dirFile = Files.createTempFile("seqbench-run-", ".dir");
        try {
            List<String> command = JvmCommand.of(List.of("-D" + RUN_DIR_FILE_PROPERTY + "=" + dirFile), mainClass,
                    arguments);
            Process child = new ProcessBuilder(command).inheritIO().start();
            AtomicLong peakResident = new AtomicLong();  // sampled here, read by the shutdown hook too
            AtomicBoolean noted = new AtomicBoolean();
            Thread onSignal = new Thread(() -> {  // SIGINT/SIGTERM/SIGHUP to this JVM: pass it on, note the end
                child.destroy();
                try {
                    if (child.waitFor(60, TimeUnit.SECONDS) && noted.compareAndSet(false, true)) {
                        note(dirFile, child.exitValue(), peakResident.get(), notes);
                    }
                    Files.deleteIfExists(dirFile);
                } catch (InterruptedException | IOException e) {
                    // shutting down: the record stays as the child left it
                }
            }, "seqbench-supervisor");
            Runtime.getRuntime().addShutdownHook(onSignal);
            while (!child.waitFor(SAMPLE_MS, TimeUnit.MILLISECONDS)) {
                peakResident.accumulateAndGet(ResidentMemory.ofProcess(child.pid()), Math::max);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException e) {  // shutting down (a signal): the hook notes it; wait for that
                onSignal.join();
                return child.exitValue();
            }
            if (noted.compareAndSet(false, true)) {
                note(dirFile, child.exitValue(), peakResident.get(), notes);
            }
            return child.exitValue();
        } finally {
            Files.deleteIfExists(dirFile);
        }
    }

    /** Writes into the child's run, if it is left unfinished by a signal, why its process ended. */
    static void note(Path dirFile, int exitValue, long peakResident, PrintStream notes) throws IOException {
        if (exitValue <= 128 || !Files.exists(dirFile)) {
            return;  // an ordinary exit (the run recorded its own end), or no run was created
        }
        String dir = Files.readString(dirFile, StandardCharsets.UTF_8).trim();
        if (dir.isEmpty()) {
            return;
        }
        Path runDir = Path.of(dir);
        String reason = exitReason("its process", exitValue, peakResident)
                + "; `seqbench resume " + runDir + "` continues it from its last checkpoint";
        if (RunRecords.noteInterruption(runDir, reason)) {
            notes.println("seqbench: run " + runDir.getFileName() + " interrupted: " + reason);
        }
    }

    /**
     * Why a process that left its run unfinished ended, from its exit status: a status above 128 is a signal, and
     * a SIGKILL that nobody on the command line sent is most often the kernel's out-of-memory killer.
     *
     * @param who               the process, as the sentence names it ("the worker", "its process")
     * @param peakResidentBytes its largest resident set seen, or 0 if unknown
     */
    public static String exitReason(String who, int exitValue, long peakResidentBytes) {
        String memory = peakResidentBytes > 0
                ? String.format(Locale.ROOT, "; its resident set reached %.1f GB", peakResidentBytes / 1e9) : "";
        return switch (exitValue) {
            case 128 + 9 -> who + " was killed by SIGKILL, most often the kernel's out-of-memory killer (dmesg says)"
                    + memory;
            case 128 + 2 -> who + " was stopped by SIGINT (Ctrl-C)" + memory;
            case 128 + 15 -> who + " was stopped by SIGTERM (signal 15)" + memory;
            case 128 + 1 -> who + " was stopped by SIGHUP (its terminal closed)" + memory;
            default -> exitValue > 128 ? who + " was killed by signal " + (exitValue - 128) + memory
                    : who + " exited with code " + exitValue + " before the run finished" + memory;
        };
    }
}
