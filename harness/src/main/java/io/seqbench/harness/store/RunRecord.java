package io.seqbench.harness.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;

/**
 * A run as read back from its directory, for reports and tools. Reading never throws for a damaged run: each
 * file that is missing, truncated or unparsable leaves its field {@code null} (or a line out of
 * {@link #metrics}) and adds a sentence to {@link #problems}.
 *
 * @param dir      the run directory
 * @param info     run.json, or null
 * @param status   the effective status: a RUNNING run whose process is gone on this host is INTERRUPTED
 * @param specYaml spec.yaml as text, or null
 * @param spec     spec.yaml as a tree, or null
 * @param env      env.json, or null
 * @param summary  summary.json, or null (absent until a run completes)
 * @param metrics  the readable lines of metrics.jsonl
 * @param problems what could not be read, in words
 */
public record RunRecord(Path dir, RunInfo info, RunStatus status, String specYaml, JsonNode spec, Environment env,
                        Summary summary, List<MetricsLine> metrics, List<String> problems) {

    /** The run id (the directory name). */
    public String id() {
        return dir.getFileName().toString();
    }

    /** A value of the resolved spec by dotted path (e.g. {@code model.type}), or null. */
    public String specValue(String dottedPath) {
        if (spec == null) {
            return null;
        }
        JsonNode n = spec;
        for (String part : dottedPath.split("\\.")) {
            n = n.get(part);
            if (n == null) {
                return null;
            }
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }
}
