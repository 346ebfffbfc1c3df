package io.seqbench.harness.run;

import io.seqbench.harness.spec.RunSpec;
import io.seqbench.harness.spec.SpecReader;
import io.seqbench.harness.store.Environment;
import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunRecords;
import io.seqbench.harness.store.RunStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Re-runs a recorded run's resolved spec and compares the deterministic metric values line by line.
 *
 * <p>Exactness holds only for the same code, ND4J build, backend, Java and CPU (and the spec's pinned thread
 * count); {@link #differences} lists what differs, and a reproduction refuses to start when anything does
 * (unless forced, in which case a mismatch is expected and reported as such).
 */
public final class Reproduction {
    private Reproduction() {
    }

    /** The outcome of a comparison. */
    public record Comparison(boolean identical, int linesCompared, String firstDifference) {
    }

    /** What differs between the recorded environment and this one in ways that break exactness. */
    public static List<String> differences(Environment recorded, Environment now) {
        List<String> diffs = new ArrayList<>();
        if (recorded.gitCommit() == null || now.gitCommit() == null) {
            diffs.add("the code version is unknown (not run from a git checkout)");
        } else if (!recorded.gitCommit().equals(now.gitCommit())) {
            diffs.add("code: the run was made at commit " + recorded.gitCommit() + ", this checkout is at "
                    + now.gitCommit());
        }
        if (Boolean.TRUE.equals(recorded.gitDirty())) {
            diffs.add("code: the run was made from uncommitted changes, which cannot be restored");
        }
        if (Boolean.TRUE.equals(now.gitDirty())) {
            diffs.add("code: this checkout has uncommitted changes");
        }
        compare(diffs, "Java", recorded.javaVersion(), now.javaVersion());
        compare(diffs, "ND4J version", recorded.nd4jVersion(), now.nd4jVersion());
        compare(diffs, "ND4J backend", recorded.nd4jBackend(), now.nd4jBackend());
        compare(diffs, "op executioner", recorded.opExecutioner(), now.opExecutioner());
        compare(diffs, "CPU", recorded.cpuModel(), now.cpuModel());
        return diffs;
    }

    private static void compare(List<String> diffs, String what, String then, String now) {
        if (!Objects.equals(then, now)) {
            diffs.add(what + ": recorded " + then + ", now " + now);
        }
    }

    /** The spec of a recorded run, or an exception saying why it cannot be re-run. */
    public static RunSpec specOf(RunRecord record) {
        if (record.specYaml() == null || record.env() == null) {
            throw new IllegalArgumentException("cannot reproduce " + record.dir() + ": "
                    + String.join("; ", record.problems()));
        }
        if (record.status() != RunStatus.COMPLETED) {
            throw new IllegalArgumentException("cannot reproduce " + record.dir() + ": it did not complete ("
                    + (record.status() == null ? "unreadable" : record.status().name().toLowerCase()) + ")");
        }
        return SpecReader.parseAny(record.specYaml(), List.of(), record.dir().resolve("spec.yaml").toString());
    }

    /** Compares the deterministic values of two runs' metrics, line by line. */
    public static Comparison compare(Path original, Path reproduction) throws IOException {
        List<MetricsLine> a = RunRecords.load(original).metrics();
        List<MetricsLine> b = RunRecords.load(reproduction).metrics();
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            MetricsLine x = a.get(i);
            MetricsLine y = b.get(i);
            String where = "line " + (i + 1) + " (step " + x.step() + ", " + x.kind() + ", length " + x.length() + ")";
            if (x.step() != y.step() || !x.kind().equals(y.kind()) || x.length() != y.length()) {
                return new Comparison(false, i, where + ": the reproduction logged step " + y.step() + ", "
                        + y.kind() + ", length " + y.length());
            }
            if (!Objects.equals(x.status(), y.status())) {
                return new Comparison(false, i, where + ": status " + x.status() + " vs " + y.status());
            }
            for (String key : new TreeSet<>(union(x.values(), y.values()))) {
                Double u = x.values().get(key);
                Double v = y.values().get(key);
                if (!Objects.equals(u, v)) {
                    return new Comparison(false, i, where + ": " + key + " was " + u + ", is " + v);
                }
            }
        }
        if (a.size() != b.size()) {
            return new Comparison(false, n, "the original has " + a.size() + " metrics lines, the reproduction "
                    + b.size());
        }
        return new Comparison(true, n, null);
    }

    private static TreeSet<String> union(Map<String, Double> a, Map<String, Double> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }
}
