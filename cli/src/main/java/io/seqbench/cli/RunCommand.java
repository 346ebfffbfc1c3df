package io.seqbench.cli;

import io.seqbench.harness.run.Runner;
import io.seqbench.harness.spec.RunSpec;
import io.seqbench.harness.spec.SpecException;
import io.seqbench.harness.spec.SpecReader;
import io.seqbench.harness.store.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code seqbench run <spec>}: validate a spec, train it, record the run. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a spec and record it under --runs-dir: train its model on its task (kind: train, the",
                "default), or measure it (kind: throughput or memory).",
                "The spec is validated completely before anything starts; a bad spec leaves no run directory.",
                "The run itself goes on in a child JVM that this one watches: if a signal kills it (the kernel's",
                "out-of-memory killer, Ctrl-C, SIGTERM), its record says so and how to resume it."})
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SPEC", description = "the spec file (YAML), e.g. runs/specs/lstm-copying.yaml")
    Path specFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a spec field, e.g. --set train.steps=200 (repeatable; validated like the file)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs/out",
            description = "where run directories are created (default: ${DEFAULT-VALUE})")
    Path runsDir;

    @Option(names = "--validate-only", description = "check the spec, print the resolved spec, and stop")
    boolean validateOnly;

    @Mixin
    InProcessOption where = new InProcessOption();

    @Override
    public Integer call() throws Exception {
        RunSpec spec;
        try {
            spec = SpecReader.readAny(specFile, overrides);
        } catch (SpecException e) {
            throw new BadInputException("invalid spec " + specFile + ": " + e.getMessage(), e);
        }
        if (validateOnly) {
            System.out.print(io.seqbench.harness.spec.SpecWriter.toYaml(spec));
            return SeqBench.OK;
        }
        if (!where.here()) {  // the spec is valid: run it in a watched child JVM
            List<String> args = new ArrayList<>(List.of("run", specFile.toString(), "--runs-dir", runsDir.toString()));
            for (String o : overrides) {
                args.add("--set");
                args.add(o);
            }
            return InProcessOption.inWatchedChild(args);
        }
        Runner.Outcome outcome = InProcessOption.runner(runsDir).run(spec);
        return outcome.status() == RunStatus.COMPLETED ? SeqBench.OK : SeqBench.FAILED;
    }
}
