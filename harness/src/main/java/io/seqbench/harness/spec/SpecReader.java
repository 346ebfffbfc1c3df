package io.seqbench.harness.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seqbench.architectures.ArchitectureType;
import io.seqbench.architectures.Architectures;
import io.seqbench.architectures.ModelConfig;
import io.seqbench.architectures.NormKind;
import io.seqbench.harness.Mappers;
import io.seqbench.tasks.TaskType;
import io.seqbench.tasks.Tasks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads spec files (YAML) into validated {@link Spec}s.
 *
 * <p>Every section is checked against its typed record before any work starts: an unknown key, a wrong type or an
 * out-of-range value fails with a {@link SpecException} whose message names the field as a dotted path and says
 * what is allowed. Fields a spec leaves out take the record's defaults. Overrides ({@code a.b=v}, the CLI's
 * {@code --set}) are applied to the YAML tree first and pass the same validation.
 *
 * <p>Layout (keys in snake_case; {@code model} and {@code task} hold their family's own fields beside
 * {@code type}):
 * <pre>
 * name: lstm-copying        # optional
 * seed: 1                   # optional, default 1
 * model: {type: lstm, d_model: 64, layers: 2, norm: layernorm, mlp_ratio: 0, forget_bias: 1.0}
 * task:  {type: copying, tokens: 8, data_tokens: 8, delay: 16}
 * train: {steps: 1000, batch_size: 32, learning_rate: 0.003, ...}
 * eval:  {every: 100, batches: 4, batch_size: 64, lengths: []}
 * </pre>
 */
public final class SpecReader {
    static final long DEFAULT_SEED = 1L;
    private static final Set<String> TRAIN_KEYS = Set.of("kind", "name", "seed", "model", "task", "train", "eval");
    private static final Set<String> PROBE_KEYS = Set.of("kind", "name", "seed", "model", "probe");
    static final ObjectMapper YAML = Mappers.YAML;

    /** Backbone fields of the model section (the mixer's fields sit beside them). */
    record BackboneFields(String type, int dModel, int layers, NormKind norm, int mlpRatio) {
    }

    private SpecReader() {
    }

    /** Reads and validates a training spec file, applying overrides ({@code a.b=v}) first. */
    public static Spec read(Path file, List<String> overrides) {
        return asTraining(readAny(file, overrides), file.toString());
    }

    /** Parses and validates training spec text. {@code source} names it in messages. */
    public static Spec parse(String yaml, List<String> overrides, String source) {
        return asTraining(parseAny(yaml, overrides, source), source);
    }

    private static Spec asTraining(RunSpec spec, String source) {
        if (spec instanceof Spec training) {
            return training;
        }
        throw new SpecException("kind: " + source + " is a " + spec.kind() + " probe, not a training spec");
    }

    /** Reads and validates a spec file of any kind, applying overrides ({@code a.b=v}) first. */
    public static RunSpec readAny(Path file, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SpecException("spec file not found: " + file);
        } catch (IOException e) {
            throw new SpecException("cannot read spec file " + file + ": " + e.getMessage(), e);
        }
        return parseAny(text, overrides, file.toString());
    }

    /** Parses and validates spec text of any kind. {@code source} names it in messages. */
    public static RunSpec parseAny(String yaml, List<String> overrides, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new SpecException(source + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw new SpecException(source + ": a spec must be a mapping of sections (model, task, train, eval)");
        }
        ObjectNode tree = (ObjectNode) root;
        for (String override : overrides) {
            applyOverride(tree, override);
        }
        return fromTree(tree);
    }

    /** Validates a YAML tree (already parsed, overrides applied). */
    public static RunSpec fromTree(ObjectNode tree) {
        String kind = Spec.TRAIN;
        if (tree.has("kind")) {
            JsonNode k = tree.get("kind");
            if (!k.isTextual() || !List.of(Spec.TRAIN, ProbeSpec.THROUGHPUT, ProbeSpec.MEMORY).contains(k.asText())) {
                throw new SpecException("kind: must be one of [train, throughput, memory], got " + describe(k));
            }
            kind = k.asText();
        }
        boolean train = Spec.TRAIN.equals(kind);
        checkKeys(tree, train ? TRAIN_KEYS : PROBE_KEYS, "");
        ModelConfig model = readModel(required(tree, "model"));
        long seed = seedOf(tree);
        if (!train) {
            ProbeConfig probe = readSection(tree.get("probe"), ProbeConfig.class, ProbeConfig.DEFAULTS, "probe");
            String name = nameOf(tree, model.type() + "-" + kind);
            try {
                return new ProbeSpec(name, seed, kind, model, probe);
            } catch (IllegalArgumentException e) {
                throw new SpecException(e.getMessage(), e);
            }
        }
        TaskSpec task = readTask(required(tree, "task"));
        TrainConfig trainConfig = readSection(tree.get("train"), TrainConfig.class, TrainConfig.DEFAULTS, "train");
        EvalConfig eval = readSection(tree.get("eval"), EvalConfig.class, EvalConfig.DEFAULTS, "eval");
        String name = nameOf(tree, model.type() + "-" + task.type());
        try {
            return new Spec(name, seed, model, task, trainConfig, eval);
        } catch (IllegalArgumentException e) {
            throw new SpecException(e.getMessage(), e);
        }
    }

    private static long seedOf(ObjectNode tree) {
        long seed = DEFAULT_SEED;
        if (tree.has("seed")) {
            JsonNode s = tree.get("seed");
            if (!s.isIntegralNumber() || !s.canConvertToLong()) {
                throw new SpecException("seed: must be an integer, got " + s);
            }
            seed = s.asLong();
        }
        return seed;
    }

    private static String nameOf(ObjectNode tree, String fallback) {
        if (!tree.has("name")) {
            return fallback;
        }
        JsonNode n = tree.get("name");
        if (!n.isTextual()) {
            throw new SpecException("name: must be a string, got " + n);
        }
        return n.asText();
    }

    private static ModelConfig readModel(JsonNode node) {
        ObjectNode model = object(node, "model");
        ArchitectureType<?> architecture;
        try {
            architecture = Architectures.get(typeOf(model, "model"));
        } catch (IllegalArgumentException e) {
            throw new SpecException("model.type: " + e.getMessage(), e);
        }
        ModelConfig defaults = ModelConfig.defaults(architecture);
        BackboneFields backboneDefaults = new BackboneFields(defaults.type(), defaults.dModel(), defaults.layers(),
                defaults.norm(), defaults.mlpRatio());
        Set<String> backboneKeys = keys(backboneDefaults);
        Set<String> mixerKeys = keys(architecture.defaults());
        Set<String> allowed = new LinkedHashSet<>(backboneKeys);
        allowed.addAll(mixerKeys);
        checkKeys(model, allowed, "model.");
        ObjectNode backbonePart = JsonNodeFactory.instance.objectNode();
        ObjectNode mixerPart = JsonNodeFactory.instance.objectNode();
        model.fields().forEachRemaining(e -> (backboneKeys.contains(e.getKey()) ? backbonePart : mixerPart)
                .set(e.getKey(), e.getValue()));
        BackboneFields backbone = readSection(backbonePart, BackboneFields.class, backboneDefaults, "model");
        Record mixer = readRecord(mixerPart, architecture.configClass(), architecture.defaults(), "model");
        try {
            return new ModelConfig(backbone.type(), backbone.dModel(), backbone.layers(), backbone.norm(),
                    backbone.mlpRatio(), mixer);
        } catch (IllegalArgumentException e) {
            throw new SpecException("model." + e.getMessage(), e);
        }
    }

    private static TaskSpec readTask(JsonNode node) {
        ObjectNode task = object(node, "task");
        TaskType<?> taskType;
        try {
            taskType = Tasks.get(typeOf(task, "task"));
        } catch (IllegalArgumentException e) {
            throw new SpecException("task.type: " + e.getMessage(), e);
        }
        ObjectNode fields = task.deepCopy();
        fields.remove("type");
        Record config = readRecord(fields, taskType.configClass(), taskType.defaults(), "task");
        return new TaskSpec(taskType.key(), config);
    }

    private static <C extends Record> C readRecord(JsonNode node, Class<C> type, Record defaults, String path) {
        return readSection(node, type, type.cast(defaults), path);
    }

    /**
     * Reads one section into its record: the record's defaults, overlaid with the spec's values, validated by
     * the record's constructor. Messages are prefixed with the section's path.
     */
    static <R> R readSection(JsonNode node, Class<R> type, R defaults, String path) {
        ObjectNode merged = YAML.valueToTree(defaults);
        if (node != null && !node.isNull()) {
            ObjectNode given = object(node, path);
            Set<String> allowed = new LinkedHashSet<>();
            merged.fieldNames().forEachRemaining(allowed::add);
            checkKeys(given, allowed, path + ".");
            given.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
        }
        try {
            return YAML.treeToValue(merged, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            String message = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
            throw new SpecException(path + "." + message, e);
        } catch (InvalidFormatException e) {
            throw new SpecException(fieldPath(path, e) + ": " + expected(e) + ", got " + describe(e.getValue()), e);
        } catch (MismatchedInputException e) {
            JsonNode value = valueAt(merged, e);
            throw new SpecException(fieldPath(path, e) + ": " + expected(e) + ", got " + describe(value), e);
        } catch (JsonProcessingException e) {
            throw new SpecException(path + ": " + e.getOriginalMessage(), e);
        }
    }

    private static String expected(MismatchedInputException e) {
        Class<?> t = e.getTargetType();
        if (t == null) {
            return "has the wrong type";
        }
        if (t.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : t.getEnumConstants()) {
                names.add(c.toString().toLowerCase(java.util.Locale.ROOT));
            }
            return "must be one of " + names;
        }
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return "must be an integer";
        }
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
            return "must be a number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "must be true or false";
        }
        if (t == String.class) {
            return "must be a string";
        }
        if (List.class.isAssignableFrom(t)) {
            return "must be a list";
        }
        return "must be a " + t.getSimpleName();
    }

    private static String fieldPath(String section, JsonMappingException e) {
        StringBuilder sb = new StringBuilder(section);
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static JsonNode valueAt(JsonNode root, JsonMappingException e) {
        JsonNode n = root;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (n == null) {
                return null;
            }
            n = r.getFieldName() != null ? n.get(r.getFieldName()) : n.get(r.getIndex());
        }
        return n;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof JsonNode node) {
            if (node.isTextual()) {
                return "'" + node.asText() + "'";
            }
            return node.toString();
        }
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }

    private static void applyOverride(ObjectNode root, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new SpecException("--set " + override + ": expected key.path=value");
        }
        String path = override.substring(0, eq).trim();
        String raw = override.substring(eq + 1);
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].isEmpty()) {
                throw new SpecException("--set " + override + ": empty key in '" + path + "'");
            }
            JsonNode child = node.get(parts[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(parts[i]);
            } else if (!child.isObject()) {
                throw new SpecException("--set " + path + ": " + String.join(".", Arrays.copyOf(parts, i + 1))
                        + " is not a section");
            }
            node = (ObjectNode) child;
        }
        JsonNode value;
        try {
            value = raw.isBlank() ? JsonNodeFactory.instance.textNode(raw) : YAML.readTree(raw);
        } catch (JsonProcessingException e) {
            value = JsonNodeFactory.instance.textNode(raw);
        }
        if (value == null || value.isMissingNode()) {
            value = JsonNodeFactory.instance.textNode(raw);
        }
        node.set(parts[parts.length - 1], value);
    }

    private static JsonNode required(ObjectNode tree, String key) {
        JsonNode node = tree.get(key);
        if (node == null || node.isNull()) {
            throw new SpecException(key + ": required section is missing (it needs at least a type)");
        }
        return node;
    }

    private static ObjectNode object(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new SpecException(path + ": must be a mapping of keys to values, got " + describe(node));
        }
        return (ObjectNode) node;
    }

    private static String typeOf(ObjectNode section, String path) {
        JsonNode type = section.get("type");
        if (type == null || !type.isTextual()) {
            throw new SpecException(path + ".type: required, a string naming a registered " + path
                    + (type == null ? "" : ", got " + describe(type)));
        }
        return type.asText();
    }

    private static void checkKeys(ObjectNode node, Set<String> allowed, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new SpecException(prefix + key + ": unknown key; allowed here: " + new TreeSet<>(allowed));
            }
        }
    }

    private static Set<String> keys(Object record) {
        Set<String> keys = new LinkedHashSet<>();
        YAML.valueToTree(record).fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** The resolved spec as a YAML tree: every field, defaults included, in the layout this reader accepts. */
    static ObjectNode toTree(RunSpec runSpec) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("kind", runSpec.kind());
        root.put("name", runSpec.name());
        root.put("seed", runSpec.seed());
        ModelConfig m = runSpec.model();
        ObjectNode model = YAML.valueToTree(new BackboneFields(m.type(), m.dModel(), m.layers(), m.norm(),
                m.mlpRatio()));
        model.setAll((ObjectNode) YAML.valueToTree(m.mixer()));
        root.set("model", model);
        if (runSpec instanceof ProbeSpec probe) {
            root.set("probe", YAML.valueToTree(probe.probe()));
            return root;
        }
        Spec spec = (Spec) runSpec;
        ObjectNode task = JsonNodeFactory.instance.objectNode();
        task.put("type", spec.task().type());
        task.setAll((ObjectNode) YAML.valueToTree(spec.task().config()));
        root.set("task", task);
        root.set("train", YAML.valueToTree(spec.train()));
        root.set("eval", YAML.valueToTree(spec.eval()));
        return root;
    }
}
