package io.seqbench.reports;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Small pure functions over resolved spec trees: canonical text, flattening, what differs between trees. */
final class SpecTrees {
    private SpecTrees() {
    }

    /**
     * The tree as text with object keys sorted at every level, leaving out the top-level keys {@code omit}:
     * two trees with the same canonical text hold the same values, whatever their key order.
     */
    static String canonical(JsonNode tree, Set<String> omit) {
        StringBuilder out = new StringBuilder();
        write(tree, omit, out);
        return out.toString();
    }

    static String canonical(JsonNode tree) {
        return canonical(tree, Set.of());
    }

    private static void write(JsonNode n, Set<String> omit, StringBuilder out) {
        if (n == null || n.isMissingNode()) {
            out.append("null");
        } else if (n.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!omit.contains(e.getKey())) {
                    sorted.put(e.getKey(), e.getValue());
                }
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append('"').append(e.getKey()).append("\":");
                write(e.getValue(), Set.of(), out);
            }
            out.append('}');
        } else if (n.isArray()) {
            out.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(n.get(i), Set.of(), out);
            }
            out.append(']');
        } else {
            out.append(n.toString());
        }
    }

    /** Dotted path → value text, in document order (arrays as their JSON text). */
    static Map<String, String> flatten(JsonNode tree) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten(tree, "", out);
        return out;
    }

    private static void flatten(JsonNode n, String prefix, Map<String, String> out) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return;
        }
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> flatten(e.getValue(),
                    prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out));
        } else {
            out.put(prefix, n.isValueNode() ? n.asText() : n.toString());
        }
    }

    /**
     * The keys whose values vary among {@code all} (a key missing from some tree varies too), sorted.
     *
     * @param ignore last path segments never reported (paths, directories: they identify files, not settings)
     */
    static List<String> varyingKeys(Collection<Map<String, String>> all, Set<String> ignore) {
        Set<String> keys = new TreeSet<>();
        all.forEach(m -> keys.addAll(m.keySet()));
        List<String> varying = new ArrayList<>();
        for (String k : keys) {
            if (ignore.contains(k.substring(k.lastIndexOf('.') + 1))
                    || all.stream().map(m -> m.get(k)).distinct().count() <= 1) {
                continue;
            }
            varying.add(k);
        }
        return varying;
    }

    /** "k=v, k2=v2" for the given keys of one flattened tree ("k=—" when it lacks one). */
    static String describe(Map<String, String> tree, List<String> keys) {
        List<String> parts = new ArrayList<>();
        for (String k : keys) {
            String v = tree.get(k);
            parts.add(k + "=" + (v == null ? "—" : v));
        }
        return String.join(", ", parts);
    }
}
