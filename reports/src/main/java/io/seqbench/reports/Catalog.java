package io.seqbench.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqbench.harness.store.RunRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The report-wide identities of runs: which runs are seeds of one experiment ({@link RunGroup}), how each model
 * config and task config is labelled, and which variant index (line style, marker) each model config gets.
 *
 * <p>Runs are seeds of one experiment when their resolved specs are equal after removing the top-level
 * {@code name} and {@code seed}. A model config is a variant of its type when its {@code model} section
 * differs from another run's of the same type; its label names the differing settings.
 */
final class Catalog {
    /** Flattened keys that identify files, not settings: never used to tell configs apart in labels. */
    private static final Set<String> PATH_KEYS = Set.of("data_dir", "path", "file", "text_file", "corpus_dir");
    private static final Pattern SEED = Pattern.compile("(?i)(^|[-_.])seed[-_=]?\\d+");

    private final List<RunGroup> groups;
    private final Map<RunRecord, RunGroup> groupOf = new IdentityHashMap<>();

    private Catalog(List<RunGroup> groups) {
        this.groups = List.copyOf(groups);
        for (RunGroup g : groups) {
            g.runs().forEach(r -> groupOf.put(r, g));
        }
    }

    static Catalog of(List<RunRecord> records) {
        Map<String, List<RunRecord>> byType = new HashMap<>();
        for (RunRecord r : records) {
            byType.computeIfAbsent(type(r), k -> new ArrayList<>()).add(r);
        }
        // variants: the distinct model sections of each type, in canonical order
        Map<String, List<String>> modelKeys = new HashMap<>();
        Map<String, String> modelLabels = new HashMap<>();
        for (Map.Entry<String, List<RunRecord>> e : byType.entrySet()) {
            Map<String, Map<String, String>> distinct = new java.util.TreeMap<>();
            for (RunRecord r : e.getValue()) {
                distinct.putIfAbsent(modelKey(r), flat(r, "model"));
            }
            modelKeys.put(e.getKey(), new ArrayList<>(distinct.keySet()));
            List<String> varying = SpecTrees.varyingKeys(distinct.values(), PATH_KEYS);
            for (Map.Entry<String, Map<String, String>> d : distinct.entrySet()) {
                modelLabels.put(d.getKey(), varying.isEmpty() ? e.getKey()
                        : e.getKey() + " (" + SpecTrees.describe(d.getValue(), varying) + ")");
            }
        }
        Map<String, String> taskLabels = taskLabels(records);

        Map<String, List<RunRecord>> bySpec = new LinkedHashMap<>();
        for (RunRecord r : records) {
            String key = r.spec() == null ? "unreadable:" + r.id()
                    : SpecTrees.canonical(r.spec(), Set.of("name", "seed"));
            bySpec.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<RunGroup> groups = new ArrayList<>();
        for (Map.Entry<String, List<RunRecord>> e : bySpec.entrySet()) {
            RunRecord first = e.getValue().get(0);
            String type = type(first);
            String modelKey = modelKey(first);
            String taskKey = taskKey(first);
            groups.add(new RunGroup(e.getKey(), label(e.getValue()), kind(first), type,
                    modelKeys.get(type).indexOf(modelKey), modelLabels.get(modelKey), modelKey,
                    taskKey.isEmpty() ? "—" : taskLabels.get(taskKey), taskKey, e.getValue()));
        }
        groups = distinctLabels(groups);
        groups.sort(Comparator.comparing(RunGroup::type, Palette.typeOrder())
                .thenComparingInt(RunGroup::variant)
                .thenComparing(RunGroup::taskLabel)
                .thenComparing(RunGroup::label));
        return new Catalog(groups);
    }

    /** Groups that share a label (same name, different settings) get the differing settings appended. */
    private static List<RunGroup> distinctLabels(List<RunGroup> groups) {
        Map<String, List<RunGroup>> byLabel = new HashMap<>();
        groups.forEach(g -> byLabel.computeIfAbsent(g.label(), k -> new ArrayList<>()).add(g));
        List<RunGroup> out = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (RunGroup g : groups) {
            List<RunGroup> same = byLabel.get(g.label());
            String label = g.label();
            if (same.size() > 1) {
                List<Map<String, String>> flats = same.stream().map(Catalog::flatSpec).toList();
                List<String> varying = new ArrayList<>(SpecTrees.varyingKeys(flats, PATH_KEYS));
                // the settings a reader cares about first: model, task, training, the rest; at most two
                varying.sort(Comparator.comparingInt(Catalog::sectionRank));
                if (!varying.isEmpty()) {
                    String settings = SpecTrees.describe(flatSpec(g), varying.subList(0, Math.min(2, varying.size())));
                    label = label + " (" + settings.replaceAll("(^|, )(?![a-z_]+\\.type=)[a-z_]+\\.", "$1")
                            + (varying.size() > 2 ? ", …" : "") + ")";
                }
            }
            String unique = label;
            for (int n = 2; !used.add(unique); n++) {
                unique = label + " #" + n;
            }
            out.add(new RunGroup(g.key(), unique, g.kind(), g.type(), g.variant(), g.modelLabel(), g.modelKey(),
                    g.taskLabel(), g.taskKey(), g.runs()));
        }
        return out;
    }

    private static int sectionRank(String key) {
        List<String> order = List.of("model", "task", "train", "probe", "eval");
        int i = order.indexOf(key.contains(".") ? key.substring(0, key.indexOf('.')) : key);
        return i < 0 ? order.size() : i;
    }

    private static Map<String, String> flatSpec(RunGroup g) {
        RunRecord r = g.runs().get(0);
        if (r.spec() == null) {
            return Map.of();
        }
        Map<String, String> flat = new LinkedHashMap<>(SpecTrees.flatten(r.spec()));
        flat.remove("name");
        flat.remove("seed");
        return flat;
    }

    /** Task labels: the type, plus the settings that tell configs of one type apart. */
    private static Map<String, String> taskLabels(List<RunRecord> records) {
        Map<String, Map<String, Map<String, String>>> byType = new HashMap<>();
        for (RunRecord r : records) {
            String key = taskKey(r);
            if (!key.isEmpty()) {
                byType.computeIfAbsent(r.specValue("task.type") == null ? "—" : r.specValue("task.type"),
                        k -> new java.util.TreeMap<>()).putIfAbsent(key, flat(r, "task"));
            }
        }
        Map<String, String> labels = new HashMap<>();
        for (Map.Entry<String, Map<String, Map<String, String>>> e : byType.entrySet()) {
            List<String> varying = SpecTrees.varyingKeys(e.getValue().values(), PATH_KEYS);
            Set<String> used = new TreeSet<>();
            int n = 1;
            for (Map.Entry<String, Map<String, String>> t : e.getValue().entrySet()) {
                String label = varying.isEmpty() ? e.getKey()
                        : e.getKey() + " (" + SpecTrees.describe(t.getValue(), varying) + ")";
                if (!used.add(label)) {
                    label = label + " #" + (++n); // configs differing only by a data path
                    used.add(label);
                }
                labels.put(t.getKey(), label);
            }
        }
        return labels;
    }

    /** The groups, in report order: architecture, variant, task, name. */
    List<RunGroup> groups() {
        return groups;
    }

    RunGroup groupOf(RunRecord r) {
        return groupOf.get(r);
    }

    /** The model's registry key, or "unknown". */
    static String type(RunRecord r) {
        String t = r.specValue("model.type");
        return t == null ? "unknown" : t;
    }

    static String kind(RunRecord r) {
        if (r.info() != null && r.info().kind() != null) {
            return r.info().kind();
        }
        String k = r.specValue("kind");
        return k == null ? "train" : k;
    }

    /** The spec's name, else run.json's, else the id. */
    static String name(RunRecord r) {
        String n = r.specValue("name");
        if (n == null && r.info() != null) {
            n = r.info().name();
        }
        return n == null ? r.id() : n;
    }

    private static String modelKey(RunRecord r) {
        JsonNode m = r.spec() == null ? null : r.spec().get("model");
        return m == null ? "unknown:" + r.id() : SpecTrees.canonical(m);
    }

    private static String taskKey(RunRecord r) {
        JsonNode t = r.spec() == null ? null : r.spec().get("task");
        return t == null ? "" : SpecTrees.canonical(t);
    }

    private static Map<String, String> flat(RunRecord r, String section) {
        JsonNode n = r.spec() == null ? null : r.spec().get(section);
        return n == null ? Map.of() : SpecTrees.flatten(n);
    }

    /** The runs' common name without its seed part; the first name when they disagree. */
    static String label(List<RunRecord> runs) {
        List<String> stripped = runs.stream().map(r -> stripSeed(name(r))).distinct().toList();
        return stripped.get(0);
    }

    static String stripSeed(String name) {
        String s = SEED.matcher(name).replaceAll("");
        s = s.replaceAll("^[-_.]+|[-_.]+$", "");
        return s.isEmpty() ? name : s;
    }
}
