package io.seqbench.harness.suite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seqbench.harness.Mappers;
import io.seqbench.harness.spec.RunSpec;
import io.seqbench.harness.spec.SpecException;
import io.seqbench.harness.spec.SpecReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads suite files. Layout:
 * <pre>
 * name: quick
 * description: what the suite shows
 * expected: ["mamba ≥ 0.9 on selective_copying; s4 far below", ...]
 * workers: 0                              # 0 = automatic
 * base: {train: {threads: 1}}             # deep-merged under every run (the run's own values win); sections
 *                                         # a run's kind lacks (train/eval/task for probes, probe for training)
 *                                         # are left out for that run
 * grids:                                  # each grid: every combination of its axes' alternatives
 *   - model: [{type: lstm}, {label: mamba, type: mamba}]     # an alternative may carry a label for the name
 *     task: [{type: copying}, {type: selective_copying}]
 *     seed: [1, 2]                        # a key can also be a dotted path, e.g. train.steps
 * runs:                                   # explicit runs (spec fragments), after the grids
 *   - {kind: throughput, name: lstm-scaling, model: {type: lstm}}
 * papers:                                 # published figures to show beside the results ({@link PaperTable})
 *   - {title: ..., source: ..., metric: accuracy (%), setup: ..., columns: [accuracy],
 *      rows: [{label: Mamba, run: mamba-selective_copying, values: {accuracy: 99.8}}]}
 * </pre>
 * Runs from grids are named by joining their alternatives' labels (a {@code label}, else a section's
 * {@code type}, else {@code key+value}; an empty label adds nothing to the name). Every expanded run is validated as a spec before anything starts;
 * an error names the run and the field. Run names must be unique within a suite.
 */
public final class SuiteReader {
    private static final Set<String> KEYS = Set.of("name", "description", "expected", "workers", "base", "grids",
            "runs", "papers");

    private SuiteReader() {
    }

    /** The suite called {@code nameOrPath}: a file path, or a name looked up in {@code suitesDir}. */
    public static Path locate(String nameOrPath, Path suitesDir) {
        Path asPath = Path.of(nameOrPath);
        if (nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml") || nameOrPath.contains("/")) {
            return asPath;
        }
        return suitesDir.resolve(nameOrPath + ".yaml");
    }

    /** The names of the suites in {@code suitesDir}. */
    public static List<String> available(Path suitesDir) {
        if (!Files.isDirectory(suitesDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(suitesDir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    public static Suite read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SpecException("suite file not found: " + file + "; suites in " + file.getParent() + ": "
                    + available(file.toAbsolutePath().getParent()));
        } catch (IOException e) {
            throw new SpecException("cannot read suite file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    public static Suite parse(String yaml, String source) {
        JsonNode root;
        try {
            root = Mappers.YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new SpecException(source + " is not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SpecException(source + ": a suite must be a mapping with at least name and runs or grids");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new SpecException(source + ": " + key + ": unknown key; allowed here: " + new TreeSet<>(KEYS));
            }
        }
        String name = text(root, "name", source);
        String description = root.has("description") ? text(root, "description", source) : "";
        List<String> expected = new ArrayList<>();
        if (root.has("expected")) {
            JsonNode e = root.get("expected");
            if (!e.isArray()) {
                throw new SpecException(source + ": expected: must be a list of sentences");
            }
            e.forEach(n -> expected.add(n.asText()));
        }
        int workers = 0;
        if (root.has("workers")) {
            JsonNode w = root.get("workers");
            if (!w.isInt() || w.asInt() < 0) {
                throw new SpecException(source + ": workers: must be an integer ≥ 0 (0 = automatic), got " + w);
            }
            workers = w.asInt();
        }
        ObjectNode base = root.has("base") ? object(root.get("base"), source + ": base")
                : JsonNodeFactory.instance.objectNode();
        Map<String, ObjectNode> fragments = new LinkedHashMap<>();
        if (root.has("grids")) {
            JsonNode grids = root.get("grids");
            if (!grids.isArray()) {
                throw new SpecException(source + ": grids: must be a list of grids");
            }
            for (int g = 0; g < grids.size(); g++) {
                expandGrid(object(grids.get(g), source + ": grids[" + g + "]"), source + ": grids[" + g + "]",
                        fragments);
            }
        }
        if (root.has("runs")) {
            JsonNode runs = root.get("runs");
            if (!runs.isArray()) {
                throw new SpecException(source + ": runs: must be a list of spec fragments");
            }
            for (int i = 0; i < runs.size(); i++) {
                ObjectNode run = object(runs.get(i), source + ": runs[" + i + "]");
                String label = run.has("name") ? run.get("name").asText() : "runs[" + i + "]";
                put(fragments, label, run, source);
            }
        }
        if (fragments.isEmpty()) {
            throw new SpecException(source + ": the suite has no runs (give grids or runs)");
        }
        List<RunSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Map.Entry<String, ObjectNode> f : fragments.entrySet()) {
            ObjectNode tree = base.deepCopy();
            String kind = f.getValue().path("kind").asText(base.path("kind").asText("train"));
            // base sections a run's kind does not have are not for that run
            List<String> foreign = kind.equals("train") ? List.of("probe") : List.of("task", "train", "eval");
            foreign.forEach(tree::remove);
            merge(tree, f.getValue());
            if (!tree.has("name")) {
                tree.put("name", f.getKey());
            }
            RunSpec spec;
            try {
                spec = SpecReader.fromTree(tree);
            } catch (SpecException e) {
                throw new SpecException(source + ": run " + f.getKey() + ": " + e.getMessage(), e);
            }
            if (!names.add(spec.name())) {
                throw new SpecException(source + ": run name " + spec.name() + " occurs twice; names must be unique");
            }
            specs.add(spec);
        }
        List<PaperTable> papers = new ArrayList<>();
        if (root.has("papers")) {
            JsonNode list = root.get("papers");
            if (!list.isArray()) {
                throw new SpecException(source + ": papers: must be a list of tables");
            }
            for (int i = 0; i < list.size(); i++) {
                PaperTable table;
                try {
                    table = Mappers.YAML.treeToValue(list.get(i), PaperTable.class);
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    throw new SpecException(source + ": papers[" + i + "]: " + (e instanceof JsonProcessingException j
                            ? j.getOriginalMessage() : e.getMessage()), e);
                }
                for (PaperTable.Row row : table.rows()) {
                    if (row.run() != null && !names.contains(row.run())) {
                        throw new SpecException(source + ": papers[" + i + "]: row " + row.label() + " names run "
                                + row.run() + ", which is not in the suite; runs: " + names);
                    }
                    if (!table.columns().containsAll(row.values().keySet())) {
                        throw new SpecException(source + ": papers[" + i + "]: row " + row.label()
                                + " has values for columns " + row.values().keySet() + "; columns: " + table.columns());
                    }
                }
                papers.add(table);
            }
        }
        return new Suite(name, description, expected, workers, specs, papers);
    }

    private static void expandGrid(ObjectNode grid, String where, Map<String, ObjectNode> out) {
        List<String> axes = new ArrayList<>();
        grid.fieldNames().forEachRemaining(axes::add);
        List<Map.Entry<String, ObjectNode>> combos = new ArrayList<>();
        combos.add(Map.entry("", JsonNodeFactory.instance.objectNode()));
        for (String axis : axes) {
            JsonNode alternatives = grid.get(axis);
            if (!alternatives.isArray() || alternatives.isEmpty()) {
                throw new SpecException(where + "." + axis + ": must be a non-empty list of alternatives");
            }
            List<Map.Entry<String, ObjectNode>> next = new ArrayList<>();
            for (Map.Entry<String, ObjectNode> combo : combos) {
                for (JsonNode alternative : (ArrayNode) alternatives) {
                    JsonNode value = alternative.deepCopy();
                    String label;
                    if (value.isObject() && value.has("label")) {
                        label = value.get("label").asText();
                        ((ObjectNode) value).remove("label");
                    } else if (value.isObject() && value.has("type")) {
                        label = value.get("type").asText();
                    } else if (value.isValueNode()) {
                        label = axis.substring(axis.lastIndexOf('.') + 1) + value.asText();
                    } else {
                        throw new SpecException(where + "." + axis + ": an alternative without a type needs a label");
                    }
                    ObjectNode tree = combo.getValue().deepCopy();
                    merge(tree, at(axis, value));
                    String name = label.isEmpty() ? combo.getKey()
                            : combo.getKey().isEmpty() ? label : combo.getKey() + "-" + label;
                    next.add(Map.entry(name, tree));
                }
            }
            combos = next;
        }
        for (Map.Entry<String, ObjectNode> c : combos) {
            put(out, c.getKey(), c.getValue(), where);
        }
    }

    private static void put(Map<String, ObjectNode> out, String label, ObjectNode fragment, String where) {
        if (out.putIfAbsent(label, fragment) != null) {
            throw new SpecException(where + ": two runs are both named " + label
                    + "; give the alternatives distinct labels");
        }
    }

    /** A tree holding {@code value} at the dotted {@code path}. */
    private static ObjectNode at(String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], value);
        return root;
    }

    /** Deep-merges {@code overlay} into {@code target}: objects merge, everything else replaces. */
    static void merge(ObjectNode target, JsonNode overlay) {
        overlay.fields().forEachRemaining(e -> {
            JsonNode existing = target.get(e.getKey());
            if (existing != null && existing.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) existing, e.getValue());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }

    private static ObjectNode object(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new SpecException(where + ": must be a mapping");
        }
        return (ObjectNode) node;
    }

    private static String text(JsonNode root, String key, String source) {
        JsonNode n = root.get(key);
        if (n == null || !n.isTextual()) {
            throw new SpecException(source + ": " + key + ": required, a string");
        }
        return n.asText();
    }
}
