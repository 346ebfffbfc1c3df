package io.seqbench.reports;

import io.seqbench.harness.store.Environment;
import io.seqbench.harness.store.RunRecord;
import io.seqbench.reports.ReportModel.EnvRow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The environments the runs ran in (env.json), identical ones merged into one row. */
final class Environments {
    private static final int NAMES_SHOWN = 6;

    private Environments() {
    }

    static List<EnvRow> rows(List<RunRecord> records) {
        Map<Environment, List<String>> byEnv = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (RunRecord r : records) {
            if (r.env() == null) {
                missing.add(Catalog.name(r));
            } else {
                byEnv.computeIfAbsent(r.env(), k -> new ArrayList<>()).add(Catalog.name(r));
            }
        }
        List<EnvRow> rows = new ArrayList<>();
        byEnv.forEach((e, names) -> rows.add(new EnvRow(runs(names),
                e.cpuModel() + "; " + e.physicalCores() + " cores / " + e.logicalCores() + " threads; "
                        + Formats.bytes(e.memoryBytes()) + " memory",
                e.os() + "; Java " + e.javaVersion() + " (" + e.javaVm() + ")",
                "ND4J " + e.nd4jVersion() + ", " + simple(e.nd4jBackend()) + ", ops: " + simple(e.opExecutioner()),
                Integer.toString(e.threads()), Formats.bytes(e.maxHeapBytes()),
                e.gitCommit() == null ? "not in git" : e.gitCommit().substring(0, Math.min(12, e.gitCommit().length()))
                        + (Boolean.TRUE.equals(e.gitDirty()) ? " (dirty: uncommitted changes)" : ""),
                e.hostname())));
        if (!missing.isEmpty()) {
            rows.add(new EnvRow(runs(missing), "env.json missing or unreadable", "", "", "", "", "", ""));
        }
        return rows;
    }

    private static String runs(List<String> names) {
        List<String> distinct = names.stream().distinct().toList();
        String shown = String.join(", ", distinct.subList(0, Math.min(NAMES_SHOWN, distinct.size())))
                + (distinct.size() > NAMES_SHOWN ? ", …" : "");
        return names.size() + (names.size() == 1 ? " run: " : " runs: ") + shown;
    }

    /** "org.nd4j.linalg.cpu.nativecpu.CpuBackend" → "CpuBackend". */
    private static String simple(String className) {
        return className == null ? "?" : className.substring(className.lastIndexOf('.') + 1);
    }
}
