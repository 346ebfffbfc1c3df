package io.seqbench.harness.suite;

import io.seqbench.harness.run.ConsoleProgress;
import io.seqbench.harness.run.ResidentMemory;
import io.seqbench.harness.run.Supervisor;
import io.seqbench.harness.spec.ProbeSpec;
import io.seqbench.harness.spec.RunSpec;
import io.seqbench.harness.spec.Spec;
import io.seqbench.harness.spec.SpecWriter;
import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunDirectory;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import io.seqbench.harness.store.RunStatus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs a suite: each run in its own worker process (a fresh JVM: isolation, and clean memory), training runs in
 * parallel on {@code workers} processes, probes one at a time with nothing else running (so their timings are
 * not disturbed). A run whose resolved spec already has a completed (or failed) record is skipped; an interrupted
 * one is resumed from its last checkpoint. Overall progress with an ETA is printed while it runs.
 */
public final class SuiteRunner {

    /** What happened to one run of the suite. */
    public record Outcome(RunSpec spec, String action, String status, Path runDir, String message) {
    }

    private final Path runsDir;
    private final PrintStream console;
    private final boolean terminal;
    private final Function<List<String>, List<String>> childCommand;

    /**
     * @param runsDir      where run records live
     * @param console      where progress goes
     * @param terminal     whether {@code console} is a terminal (redraws one status line)
     * @param childCommand turns CLI arguments (e.g. {@code run spec.yaml --runs-dir DIR}) into the command line of
     *                     a worker process
     */
    public SuiteRunner(Path runsDir, PrintStream console, boolean terminal,
                       Function<List<String>, List<String>> childCommand) {
        this.runsDir = runsDir;
        this.console = console;
        this.terminal = terminal;
        this.childCommand = childCommand;
    }

    /** The worker count used when the suite and the user leave it at 0. */
    public static int automaticWorkers(Suite suite) {
        int threads = suite.runs().stream().mapToInt(RunSpec::threads).max().orElse(1);
        return Math.max(1, Runtime.getRuntime().availableProcessors() / threads);
    }

    /** One planned run: what to do with it. */
    record Job(RunSpec spec, String action, Path existing) {
    }

    /** Decides, for every run, whether it is done already, to be resumed, or new. */
    List<Job> plan(Suite suite) throws IOException {
        Map<String, List<RunRecord>> byHash = new HashMap<>();
        if (Files.isDirectory(runsDir)) {
            for (RunRecord r : RunRecords.loadAll(runsDir)) {
                if (r.specYaml() != null) {
                    byHash.computeIfAbsent(SpecHash.ofText(r.specYaml()), k -> new ArrayList<>()).add(r);
                }
            }
        }
        List<Job> jobs = new ArrayList<>();
        for (RunSpec spec : suite.runs()) {
            List<RunRecord> same = byHash.getOrDefault(SpecHash.of(spec), List.of());
            RunRecord finished = same.stream().filter(r -> r.status() == RunStatus.COMPLETED).findFirst()
                    .orElse(same.stream().filter(r -> r.status() == RunStatus.FAILED).findFirst().orElse(null));
            RunRecord interrupted = same.stream().filter(r -> r.status() == RunStatus.INTERRUPTED
                    && r.info() != null && Spec.TRAIN.equals(r.info().kind())).findFirst().orElse(null);
            if (finished != null) {
                jobs.add(new Job(spec, "skip", finished.dir()));
            } else if (interrupted != null) {
                jobs.add(new Job(spec, "resume", interrupted.dir()));
            } else {
                jobs.add(new Job(spec, "new", null));
            }
        }
        return jobs;
    }

    /** Runs (or skips) every run of the suite; returns one outcome per run, in suite order. */
    public List<Outcome> run(Suite suite, int workersOverride) throws IOException, InterruptedException {
        List<Job> jobs = plan(suite);
        int workers = workersOverride > 0 ? workersOverride
                : suite.workers() > 0 ? suite.workers() : automaticWorkers(suite);
        long skipped = jobs.stream().filter(j -> j.action().equals("skip")).count();
        long resumed = jobs.stream().filter(j -> j.action().equals("resume")).count();
        console.printf(Locale.ROOT, "suite %s: %d runs (%d already done, %d to resume, %d new) on %d worker%s%n",
                suite.name(), jobs.size(), skipped, resumed, jobs.size() - skipped - resumed, workers,
                workers == 1 ? "" : "s");
        Map<Job, Outcome> outcomes = new LinkedHashMap<>();
        Deque<Job> parallel = new ArrayDeque<>();
        Deque<Job> exclusive = new ArrayDeque<>();
        for (Job j : jobs) {
            if (j.action().equals("skip")) {
                outcomes.put(j, new Outcome(j.spec(), "skip", "done", j.existing(), "already recorded"));
            } else if (j.spec() instanceof Spec) {
                parallel.add(j);
            } else {
                exclusive.add(j);
            }
        }
        Progress progress = new Progress(jobs, (int) skipped);
        List<Worker> running = new ArrayList<>();
        long lastPrint = 0;
        while (!parallel.isEmpty() || !exclusive.isEmpty() || !running.isEmpty()) {
            boolean exclusiveRunning = running.stream().anyMatch(w -> !(w.job.spec() instanceof Spec));
            if (!exclusiveRunning) {
                while (running.size() < workers && !parallel.isEmpty()) {
                    running.add(start(parallel.poll()));
                }
                if (running.isEmpty() && !exclusive.isEmpty()) {
                    running.add(start(exclusive.poll()));
                }
            }
            for (Worker w : new ArrayList<>(running)) {
                w.sampleMemory();
                if (!w.process.isAlive()) {
                    w.process.waitFor();
                    w.reader.join();
                    running.remove(w);
                    Outcome o = w.outcome();
                    outcomes.put(w.job, o);
                    progress.finished(w.job);
                    clearLine();
                    console.println("  " + o.spec().name() + ": " + o.status() + (o.message().isEmpty() ? ""
                            : " — " + o.message()));
                }
            }
            long now = System.nanoTime();
            if (terminal || now - lastPrint > TimeUnit.SECONDS.toNanos(30)) {
                String line = progress.line(running);
                if (terminal) {
                    console.print("\r" + line);
                } else if (!running.isEmpty()) {
                    console.println(line);
                }
                lastPrint = now;
            }
            Thread.sleep(terminal ? 500 : 200);
        }
        clearLine();
        List<Outcome> ordered = new ArrayList<>();
        for (Job j : jobs) {
            ordered.add(outcomes.get(j));
        }
        console.printf(Locale.ROOT, "suite %s finished in %s%n", suite.name(),
                ConsoleProgress.duration((System.nanoTime() - progress.start) / 1e9));
        return ordered;
    }

    private void clearLine() {
        if (terminal) {
            console.print("\r" + " ".repeat(120) + "\r");
        }
    }

    private Worker start(Job job) throws IOException {
        List<String> args = new ArrayList<>();
        Path specFile = null;
        if (job.action().equals("resume")) {
            args.add("resume");
            args.add(job.existing().toString());
        } else {
            Files.createDirectories(runsDir);
            specFile = Files.createTempFile(runsDir, ".suite-spec-", ".yaml");
            Files.writeString(specFile, SpecWriter.toYaml(job.spec()), StandardCharsets.UTF_8);
            args.add("run");
            args.add(specFile.toString());
            args.add("--runs-dir");
            args.add(runsDir.toString());
        }
        Process process = new ProcessBuilder(childCommand.apply(args)).redirectErrorStream(true).start();
        return new Worker(job, process, specFile);
    }

    /** A worker process running one job; it reads the child's output for the run directory. */
    private static final class Worker {
        final Job job;
        final Process process;
        final Path specFile;
        final Thread reader;
        final long start = System.nanoTime();
        volatile Path runDir;
        final Deque<String> tail = new ArrayDeque<>();
        long peakResident;

        Worker(Job job, Process process, Path specFile) {
            this.job = job;
            this.process = process;
            this.specFile = specFile;
            this.runDir = job.existing();
            this.reader = new Thread(this::read, "suite-worker-" + job.spec().name());
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (runDir == null && line.startsWith("run ") && line.contains(" -> ")) {
                        runDir = Path.of(line.substring(line.indexOf(" -> ") + 4).trim());
                    }
                    synchronized (tail) {
                        tail.add(line);
                        if (tail.size() > 5) {
                            tail.poll();
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended; its records say what happened
            }
        }

        /** Samples the worker's resident set, to name it if the worker is killed (by the kernel's OOM killer). */
        void sampleMemory() {
            peakResident = Math.max(peakResident, ResidentMemory.ofProcess(process.pid()));
        }

        /** Progress of a running job in [0, 1], from its metrics (training) or 0.5 (probes). */
        double fraction() {
            if (!(job.spec() instanceof Spec spec) || runDir == null) {
                return 0.0;
            }
            List<MetricsLine> lines = RunRecords.readMetrics(runDir.resolve(RunDirectory.METRICS),
                    new ArrayList<>());
            long step = lines.isEmpty() ? 0 : lines.get(lines.size() - 1).step();
            return Math.min(1.0, (double) step / spec.train().steps());
        }

        Outcome outcome() throws IOException {
            if (specFile != null) {
                Files.deleteIfExists(specFile);
            }
            String last;
            synchronized (tail) {
                last = String.join(" | ", tail);
            }
            if (runDir == null) {
                return new Outcome(job.spec(), job.action(), "error", null,
                        "the worker exited with code " + process.exitValue() + " before creating a run: " + last);
            }
            RunRecords.noteInterruption(runDir, exitReason(process.exitValue(), peakResident)
                    + "; running the suite again resumes it from its last checkpoint");
            RunRecord r = RunRecords.load(runDir);
            String status = r.status() == null ? "unreadable" : r.status().name().toLowerCase(Locale.ROOT);
            String message = "";
            if (r.info() != null && r.info().failure() != null) {
                message = r.info().failure().reason();
            } else if (r.summary() != null && !r.summary().finalEval().isEmpty()) {
                String metric = r.summary().metric();
                Double v = r.summary().finalEval().get(metric);
                message = v == null ? "" : String.format(Locale.ROOT, "%s %.4f", metric, v);
            }
            message += String.format(Locale.ROOT, "%s(%s)", message.isEmpty() ? "" : " ",
                    ConsoleProgress.duration((System.nanoTime() - start) / 1e9));
            return new Outcome(job.spec(), job.action(), status, runDir, message);
        }
    }

    /** Why a worker that left its run unfinished ended, from its exit status ({@link Supervisor#exitReason}). */
    static String exitReason(int exitValue, long peakResidentBytes) {
        return Supervisor.exitReason("the worker", exitValue, peakResidentBytes);
    }

    /**
     * The estimated amount of work in a run, in token-passes, to weight the ETA: training runs cost steps × batch ×
     * length; a throughput point costs its timed and warm-up repetitions (training, prefill and decode: about 3
     * training steps); a memory point its training steps plus a fresh JVM (counted as {@link #JVM_START_TOKENS}).
     * Families differ in cost per token by a few times, so this is an estimate; it beats counting runs, which
     * treats a 10-second probe like a 5-minute training run.
     */
    static double work(RunSpec spec) {
        if (spec instanceof Spec s) {
            return (double) s.train().steps() * s.train().batchSize() * taskLength(s);
        }
        if (spec instanceof ProbeSpec p) {
            double total = 0;
            for (int length : p.probe().lengths()) {
                double tokens = (double) p.probe().batchSize() * length;
                total += p.kind().equals(ProbeSpec.MEMORY) ? tokens * p.probe().steps() + JVM_START_TOKENS
                        : tokens * (p.probe().warmup() + p.probe().repeats()) * 3;
            }
            return total;
        }
        return 1;
    }

    /** Token-passes a fresh JVM's start-up (ND4J initialisation) is worth, roughly: 3 s at ~10k tokens/s. */
    static final double JVM_START_TOKENS = 30_000;

    /** The task's {@code length} field when its config has one (most do), else a typical 64. */
    private static int taskLength(Spec s) {
        for (java.lang.reflect.RecordComponent c : s.task().config().getClass().getRecordComponents()) {
            if (c.getName().equals("length") && c.getType() == int.class) {
                try {
                    return (int) c.getAccessor().invoke(s.task().config());
                } catch (ReflectiveOperationException e) {
                    return 64;
                }
            }
        }
        return 64;
    }

    /**
     * Overall progress: finished runs, and an ETA by linear extrapolation of the work done so far (finished runs
     * plus the fractions of running ones, each weighted by {@link #work}).
     */
    private static final class Progress {
        final int total;
        int finished;
        final int alreadyDone;
        final long start = System.nanoTime();
        final double totalWork;
        double finishedWork;

        Progress(List<Job> jobs, int alreadyDone) {
            this.total = jobs.size();
            this.alreadyDone = alreadyDone;
            this.finished = alreadyDone;
            this.totalWork = jobs.stream().filter(j -> !j.action().equals("skip")).mapToDouble(j -> work(j.spec()))
                    .sum();
        }

        void finished(Job job) {
            finished++;
            finishedWork += work(job.spec());
        }

        String line(List<Worker> running) {
            double partialWork = 0;
            StringBuilder names = new StringBuilder();
            for (Worker w : running) {
                double f = w.fraction();
                partialWork += f * work(w.job.spec());
                names.append(names.length() == 0 ? "" : ", ").append(w.job.spec().name())
                        .append(w.job.spec() instanceof Spec ? String.format(Locale.ROOT, " %d%%", (int) (f * 100))
                                : " (probe)");
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            double doneWork = finishedWork + partialWork;
            double remainingWork = Math.max(0, totalWork - doneWork);
            String eta = doneWork <= 0.02 * totalWork ? "?"
                    : ConsoleProgress.duration(elapsed / doneWork * remainingWork);
            return String.format(Locale.ROOT, "[%d/%d done] %s | %s, ETA %s", finished, total,
                    running.isEmpty() ? "" : "running: " + names, ConsoleProgress.duration(elapsed), eta);
        }
    }
}
