package io.seqbench.cli;

import io.seqbench.harness.run.Reproduction;
import io.seqbench.harness.run.Runner;
import io.seqbench.harness.spec.RunSpec;
import io.seqbench.harness.store.Environment;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import io.seqbench.harness.store.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code seqbench reproduce <run-dir>}: re-run a record's spec and check the metrics match exactly. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Re-run a recorded run's resolved spec and report whether its metric values match exactly",
                "(and where they first differ if not). Refuses when the code version or environment differs in",
                "a way that breaks exactness (commit, uncommitted changes, Java, ND4J, backend, CPU).",
                "The reproduction goes on in a child JVM that this one watches, as with `seqbench run`."})
final class ReproduceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "the recorded run, e.g. runs/out/<run-id>")
    Path runDir;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs/out/.reproductions",
            description = "where the reproduction is recorded (default: ${DEFAULT-VALUE}, hidden from reports)")
    Path reproductionsDir;

    @Option(names = "--force", description = "run even when the environment differs (a mismatch is then expected)")
    boolean force;

    @Mixin
    InProcessOption where = new InProcessOption();

    @Override
    public Integer call() throws Exception {
        if (!where.here()) {  // all of it in a watched child, which checks the record and says what it finds
            List<String> args = new ArrayList<>(List.of("reproduce", runDir.toString(), "--runs-dir",
                    reproductionsDir.toString()));
            if (force) {
                args.add("--force");
            }
            return InProcessOption.inWatchedChild(args);
        }
        Nd4jSetup.ensure();
        RunRecord record = RunRecords.load(runDir);
        RunSpec spec;
        try {
            spec = Reproduction.specOf(record);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        List<String> differences = Reproduction.differences(record.env(), Environment.capture(spec.threads()));
        if (!differences.isEmpty()) {
            String list = String.join("\n  ", differences);
            if (!force) {
                throw new BadInputException("cannot reproduce " + runDir + " exactly, because:\n  " + list
                        + "\ncheck out the recorded commit on the recorded machine, or pass --force to run anyway");
            }
            System.out.println("warning: exact reproduction is not expected, because:\n  " + list);
        }
        Runner.Outcome outcome = InProcessOption.runner(reproductionsDir).run(spec);
        if (outcome.status() != RunStatus.COMPLETED) {
            System.out.println("the reproduction did not complete: " + outcome.failure());
            return SeqBench.FAILED;
        }
        Reproduction.Comparison c = Reproduction.compare(runDir, outcome.directory().path());
        if (c.identical()) {
            System.out.println("reproduced exactly: all " + c.linesCompared() + " metrics lines have identical values"
                    + " (reproduction in " + outcome.directory().path() + ")");
            return SeqBench.OK;
        }
        System.out.println("NOT reproduced: first difference at " + c.firstDifference()
                + " (reproduction in " + outcome.directory().path() + ")");
        return SeqBench.FAILED;
    }
}
