package io.seqbench.reports;

import io.seqbench.harness.store.RunRecord;
import io.seqbench.harness.store.RunStatus;

import java.util.List;

/**
 * Runs of one experiment that differ only by their seed (and name): the report draws their mean and spread.
 * A run whose spec is unreadable forms a group of its own.
 *
 * @param key        what the runs share: their resolved spec without {@code name} and {@code seed}
 * @param label      the runs' name with any "seed N" part removed
 * @param kind       {@code train}, {@code throughput} or {@code memory}
 * @param type       the model's registry key ({@code model.type}), "unknown" when unreadable
 * @param variant    the index of the model config among the configs of that type in this report (0 first)
 * @param modelLabel the type, with the settings that tell its variants apart, e.g. "transformer (positions=rope)"
 * @param modelKey   the model section, canonical
 * @param taskLabel  the task type, with the settings that tell its configs apart; "—" for probes
 * @param taskKey    the task section, canonical ("" for probes)
 * @param runs       the runs, oldest first
 */
record RunGroup(String key, String label, String kind, String type, int variant, String modelLabel, String modelKey,
                String taskLabel, String taskKey, List<RunRecord> runs) {
    RunGroup {
        runs = List.copyOf(runs);
    }

    /** The runs that completed with a summary. */
    List<RunRecord> completed() {
        return runs.stream().filter(r -> r.status() == RunStatus.COMPLETED && r.summary() != null).toList();
    }

    /** The label for a legend: the name, the seed count when there are several. */
    String legend() {
        return runs.size() > 1 ? label + " (" + runs.size() + " seeds)" : label;
    }

    /** A training run with a readable task: one that belongs in the training sections. */
    boolean isTraining() {
        return "train".equals(kind) && !taskKey.isEmpty();
    }
}
