package io.seqbench.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Kernel microbenchmarks read from the JSON files of a folder (by default {@code docs/benchmarks}): JMH's standard
 * result format (the CPU scan benchmarks), and, read tolerantly, the GPU benchmark's own JSON. Each becomes time
 * per call and nanoseconds per state update against the sequence length, one series per implementation.
 *
 * <p>JMH: every entry with a length parameter ({@code length}, {@code L}, {@code seqLen}, ...) is a point; its
 * score is converted to seconds per call (time modes) or inverted (throughput modes); its 99.9 % confidence
 * interval is the band. The series is the benchmark's {@code Class.method} plus the parameters that vary
 * besides the length.
 *
 * <p>Other JSON: every object with a length ({@code length}, or {@code shape.length}, {@code params.length}) is a
 * record; each numeric field whose name ends in a time unit ({@code _us}, {@code _ms}, {@code _ns}, {@code _s},
 * {@code _seconds}), at any depth below it (arrays excluded), is a time: medians when a level has them,
 * never minima, maxima or analytic floors. The series is the record's {@code impl} (or {@code implementation},
 * {@code name}, else the file name) plus the field's path (e.g. {@code forward}); sibling {@code min_*} and
 * {@code max_*} fields give the band. A record with an {@code error} text and no time is an unmeasured point.
 * Anything else is skipped with a note.
 *
 * <p>State updates per call: batch × channels × length × state, from parameters or fields named {@code batch}
 * ({@code b}, {@code batch_size}), {@code channels} ({@code d}, {@code d_inner}, {@code dim}) and {@code state}
 * ({@code n}, {@code d_state}); without all four the per-update chart is omitted with a note.
 */
final class KernelBenchmarks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LENGTH = List.of("length", "L", "l", "seqLen", "seq_len", "seqlen",
            "sequenceLength", "sequence_length", "len");
    private static final List<String> BATCH = List.of("batch", "b", "B", "batchSize", "batch_size");
    private static final List<String> CHANNELS = List.of("channels", "d", "D", "dInner", "d_inner", "dim",
            "width", "dModel", "d_model");
    private static final List<String> STATE = List.of("state", "n", "N", "dState", "d_state", "stateSize",
            "state_size");
    private static final List<String> IMPL = List.of("impl", "implementation", "name", "kernel_name", "backend");
    private static final List<String> CONTAINERS = List.of("passes", "timing", "timings", "results", "times",
            "metrics");

    /**
     * One measured (or failed) call time.
     *
     * @param platform     "CPU (JMH)" or "GPU"
     * @param series       the implementation (and pass)
     * @param length       the sequence length
     * @param seconds      time per call, or null when not measured
     * @param lo           low end of its spread, or null
     * @param hi           high end of its spread, or null
     * @param stateUpdates batch × channels × length × state, or null when unknown
     * @param status       null when measured; else why not ("error", "oom")
     * @param note         the reason in words, or null
     */
    record Point(String platform, String series, int length, Double seconds, Double lo, Double hi,
                 Double stateUpdates, String status, String note) {
    }

    /**
     * What the folder held.
     *
     * @param points  every point
     * @param devices the GPUs named in the files
     * @param notes   what was read, skipped, and why
     */
    record Result(List<Point> points, List<String> devices, List<String> notes) {
    }

    private KernelBenchmarks() {
    }

    /** Reads every {@code *.json} directly in {@code dir}; a missing folder yields no points and a note. */
    static Result read(Path dir) {
        List<Point> points = new ArrayList<>();
        Set<String> devices = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        if (dir == null) {
            notes.add("No benchmark folder was given (--benchmarks): kernel microbenchmark charts are omitted.");
            return new Result(points, List.of(), notes);
        }
        if (!Files.isDirectory(dir)) {
            notes.add("No benchmark results at " + dir + " (the folder does not exist): kernel microbenchmark charts"
                    + " are omitted. Run the JMH scan benchmarks and save their JSON there (see docs/reports.md).");
            return new Result(points, List.of(), notes);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            notes.add("Cannot list the benchmark folder " + dir + ": " + e.getMessage());
            return new Result(points, List.of(), notes);
        }
        if (files.isEmpty()) {
            notes.add("The benchmark folder " + dir + " holds no .json files: kernel microbenchmark charts are"
                    + " omitted.");
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            JsonNode root;
            try {
                root = JSON.readTree(f.toFile());
            } catch (JsonProcessingException e) {
                notes.add(name + ": not valid JSON (" + e.getOriginalMessage() + "); skipped.");
                continue;
            } catch (IOException e) {
                notes.add(name + ": unreadable (" + e.getMessage() + "); skipped.");
                continue;
            }
            if (isJmh(root)) {
                int before = points.size();
                List<String> skipped = new ArrayList<>();
                points.addAll(jmh(root, skipped));
                notes.add(name + ": JMH results, " + (points.size() - before) + " points charted"
                        + (skipped.isEmpty() ? "." : "; skipped: " + String.join("; ", skipped) + "."));
            } else {
                String device = device(root);
                String platform = device == null ? "GPU" : "GPU (" + device + ")";
                if (device != null) {
                    devices.add(device);
                }
                List<Point> found = new ArrayList<>();
                int[] skipped = {0};
                collect(root, root, stem(name), platform, found, skipped);
                points.addAll(found);
                notes.add(name + ": " + (found.isEmpty() ? "no records with a length and a time field were found;"
                        + " skipped (format not understood)." : "GPU benchmark, " + found.size() + " points charted"
                        + (skipped[0] > 0 ? "; " + skipped[0] + " objects without a length or a time were ignored."
                        : ".")));
            }
        }
        return new Result(points, List.copyOf(devices), notes);
    }

    static boolean isJmh(JsonNode root) {
        return root.isArray() && root.size() > 0 && root.get(0).has("benchmark") && root.get(0).has("primaryMetric");
    }

    /** JMH's format: an array of {benchmark, mode, params, primaryMetric{score, scoreUnit, scoreConfidence}}. */
    static List<Point> jmh(JsonNode root, List<String> skipped) {
        // parameters whose values vary within one benchmark (besides the length) name the series
        Map<String, Map<String, Set<String>>> values = new HashMap<>();
        for (JsonNode e : root) {
            JsonNode params = e.path("params");
            params.fieldNames().forEachRemaining(k -> values.computeIfAbsent(e.path("benchmark").asText(),
                    b -> new TreeMap<>()).computeIfAbsent(k, x -> new LinkedHashSet<>()).add(params.get(k).asText()));
        }
        List<Point> points = new ArrayList<>();
        for (JsonNode e : root) {
            String benchmark = e.path("benchmark").asText("?");
            String shortName = shortName(benchmark);
            JsonNode params = e.path("params");
            Integer length = intField(params, LENGTH);
            if (length == null) {
                skipped.add(shortName + " (no length parameter)");
                continue;
            }
            JsonNode metric = e.path("primaryMetric");
            double score = metric.path("score").asDouble(Double.NaN);
            String unit = metric.path("scoreUnit").asText("");
            Double factor = secondsPerOp(unit);
            if (factor == null || Double.isNaN(score) || score <= 0) {
                skipped.add(shortName + " (unit " + unit + " not understood)");
                continue;
            }
            boolean throughput = unit.startsWith("ops/");
            JsonNode ci = metric.path("scoreConfidence");
            Double lo = null;
            Double hi = null;
            if (ci.isArray() && ci.size() == 2 && ci.get(0).asDouble() > 0 && ci.get(1).asDouble() > 0) {
                double a = convert(ci.get(0).asDouble(), factor, throughput);
                double b = convert(ci.get(1).asDouble(), factor, throughput);
                lo = Math.min(a, b);
                hi = Math.max(a, b);
            }
            List<String> varying = new ArrayList<>();
            values.getOrDefault(benchmark, Map.of()).forEach((k, vs) -> {
                if (vs.size() > 1 && !LENGTH.contains(k)) {
                    varying.add(k + "=" + params.path(k).asText());
                }
            });
            String series = varying.isEmpty() ? shortName : shortName + " (" + String.join(", ", varying) + ")";
            points.add(new Point("CPU (JMH)", series, length, convert(score, factor, throughput), lo, hi,
                    updates(params, null, length), null, null));
        }
        return points;
    }

    /** "io.seqbench.benchmarks.ScanBenchmark.fused" → "ScanBenchmark.fused". */
    static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
    }

    /** Seconds per op of one unit of a JMH score ({@code ns/op} … {@code s/op}, or {@code ops/s} …), or null. */
    static Double secondsPerOp(String unit) {
        String u = unit.replace("µ", "u");
        return switch (u) {
            case "ns/op", "ops/ns" -> 1e-9;
            case "us/op", "ops/us" -> 1e-6;
            case "ms/op", "ops/ms" -> 1e-3;
            case "s/op", "ops/s" -> 1.0;
            case "min/op", "ops/min" -> 60.0;
            default -> null;
        };
    }

    private static double convert(double score, double factor, boolean throughput) {
        return throughput ? factor / score : score * factor;
    }

    /** Walks the tree: objects with a length are records, everything else is searched for records. */
    private static void collect(JsonNode node, JsonNode root, String file, String platform, List<Point> out,
                                int[] skipped) {
        if (node.isArray()) {
            for (JsonNode n : node) {
                collect(n, root, file, platform, out, skipped);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        Integer length = intField(node, LENGTH);
        if (length == null) {
            length = intField(node.path("shape"), LENGTH);
        }
        if (length == null) {
            length = intField(node.path("params"), LENGTH);
        }
        if (length == null) {
            node.fields().forEachRemaining(e -> collect(e.getValue(), root, file, platform, out, skipped));
            return;
        }
        String impl = file;
        for (String k : IMPL) {
            if (node.path(k).isTextual()) {
                impl = node.get(k).asText();
                break;
            }
        }
        Double updates = updates(node, root, length);
        List<Point> found = new ArrayList<>();
        times(node, "", impl, platform, length, updates, found);
        if (found.isEmpty() && node.path("error").isTextual()) {
            String error = node.get("error").asText();
            String status = error.toLowerCase(Locale.ROOT).contains("memory") ? "oom" : "error";
            out.add(new Point(platform, impl, length, null, null, null, updates, status, error));
        } else if (found.isEmpty()) {
            skipped[0]++;
        }
        out.addAll(found);
    }

    /** The time fields at one level of a record (and below, except in arrays), medians preferred. */
    private static void times(JsonNode node, String path, String impl, String platform, int length, Double updates,
                              List<Point> out) {
        Map<String, Double> scaled = new LinkedHashMap<>();
        Map<String, String> base = new HashMap<>();
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) {
                String key = e.getKey();
                Double unit = timeUnit(key);
                if (unit != null) {
                    scaled.put(key, e.getValue().asDouble() * unit);
                    base.put(key, stripUnit(key));
                }
            } else if (e.getValue().isObject() && !e.getKey().equals("shape") && !e.getKey().equals("params")) {
                times(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), impl, platform, length,
                        updates, out);
            }
        });
        boolean hasMedian = base.values().stream().anyMatch(b -> b.contains("median"));
        for (Map.Entry<String, Double> t : scaled.entrySet()) {
            String b = base.get(t.getKey());
            if (excluded(b) || (hasMedian && !b.contains("median")) || !(t.getValue() > 0)) {
                continue;
            }
            String rest = b.replace("median", "").replaceAll("^_+|_+$", "");
            Double lo = sibling(scaled, base, b, "min");
            Double hi = sibling(scaled, base, b, "max");
            String where = String.join(".", Stream.of(path.split("\\."))
                    .filter(s -> !s.isEmpty() && !CONTAINERS.contains(s)).toList());
            String label = Stream.of(where, rest).filter(s -> !s.isEmpty()).reduce((a, c) -> a + "." + c).orElse("");
            out.add(new Point(platform, label.isEmpty() ? impl : impl + " · " + label, length, t.getValue(), lo, hi,
                    updates, null, null));
        }
    }

    private static Double sibling(Map<String, Double> scaled, Map<String, String> base, String b, String which) {
        String want = b.contains("median") ? b.replace("median", which) : which + "_" + b;
        for (Map.Entry<String, String> e : base.entrySet()) {
            if (e.getValue().equals(want)) {
                return scaled.get(e.getKey());
            }
        }
        return null;
    }

    private static boolean excluded(String base) {
        for (String word : List.of("min", "max", "floor", "std", "err", "total", "warmup", "mad", "mean_dev",
                "per_", "bytes", "bandwidth")) {
            if (base.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** Seconds per unit of a field named like a time ({@code forward_us}, {@code median_seconds}), or null. */
    static Double timeUnit(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.endsWith("_ns")) {
            return 1e-9;
        } else if (k.endsWith("_us")) {
            return 1e-6;
        } else if (k.endsWith("_ms")) {
            return 1e-3;
        } else if (k.endsWith("_seconds") || k.endsWith("_s") || k.equals("seconds")) {
            return 1.0;
        }
        return null;
    }

    private static String stripUnit(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("(_ns|_us|_ms|_seconds|_s|seconds)$", "");
    }

    /** batch × channels × length × state from the record, its shape or params, or the file's top level. */
    private static Double updates(JsonNode record, JsonNode root, int length) {
        List<JsonNode> places = new ArrayList<>(List.of(record, record.path("shape"), record.path("params")));
        if (root != null) {
            places.addAll(List.of(root, root.path("shape"), root.path("params"), root.path("config")));
        }
        Integer b = first(places, BATCH);
        Integer d = first(places, CHANNELS);
        Integer n = first(places, STATE);
        return b == null || d == null || n == null ? null : (double) b * d * length * n;
    }

    private static Integer first(List<JsonNode> places, List<String> names) {
        for (JsonNode p : places) {
            Integer v = intField(p, names);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The first of {@code names} that {@code node} holds as a positive integer (number or numeric text). */
    private static Integer intField(JsonNode node, List<String> names) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (String name : names) {
            JsonNode v = node.get(name);
            if (v == null) {
                continue;
            }
            if (v.isIntegralNumber() && v.asLong() > 0 && v.asLong() <= Integer.MAX_VALUE) {
                return v.asInt();
            }
            if (v.isTextual() && v.asText().matches("\\d{1,9}")) {
                return Integer.parseInt(v.asText());
            }
        }
        return null;
    }

    private static String device(JsonNode root) {
        JsonNode d = root.path("device");
        if (d.isTextual()) {
            return d.asText();
        }
        if (d.path("name").isTextual()) {
            return d.get("name").asText();
        }
        return root.path("gpu").isTextual() ? root.get("gpu").asText() : null;
    }

    private static String stem(String file) {
        return file.endsWith(".json") ? file.substring(0, file.length() - 5) : file;
    }

    /** Time per call and ns per state update against length, for the CPU points and for the GPU points. */
    static List<ChartSpec> charts(Result result, List<String> notes) {
        List<ChartSpec> charts = new ArrayList<>();
        for (boolean gpu : new boolean[]{false, true}) {
            List<Point> points = result.points().stream()
                    .filter(p -> p.platform().startsWith("GPU") == gpu).toList();
            if (points.isEmpty()) {
                continue;
            }
            String where = gpu ? "GPU" + (result.devices().size() == 1 ? ", " + result.devices().get(0) : "")
                    : "CPU, JMH";
            String id = gpu ? "kernel-gpu" : "kernel-cpu";
            double[] times = points.stream().filter(p -> p.seconds() != null).mapToDouble(Point::seconds)
                    .sorted().toArray();
            double median = times.length == 0 ? 1e-3 : times[times.length / 2];
            double unit = median < 1e-3 ? 1e6 : median < 1 ? 1e3 : 1;
            String unitName = unit == 1e6 ? "µs" : unit == 1e3 ? "ms" : "s";
            String band = gpu ? "bands: the fastest to the slowest timed call where the file gives them"
                    : "bands: JMH's 99.9 % confidence interval";
            charts.add(chart(points, id + "-time", "Selective scan: time per call vs length (" + where + ")",
                    "time per call (" + unitName + ", log scale)", p -> p.seconds() * unit,
                    "Time of one call of each implementation against the sequence length, log-log; " + band
                            + ". Colours here identify implementations, not architectures."
                            + (gpu && result.devices().size() > 1 ? " Series names include the file they come from;"
                            + " devices: " + String.join(", ", result.devices()) + "." : "")));
            if (points.stream().anyMatch(p -> p.seconds() != null && p.stateUpdates() != null)) {
                charts.add(chart(points.stream().filter(p -> p.stateUpdates() != null).toList(),
                        id + "-per-update", "Selective scan: ns per state update vs length (" + where + ")",
                        "time per state update (ns, log scale)", p -> p.seconds() * 1e9 / p.stateUpdates(),
                        "Time per call divided by batch × channels × length × state (one h_t = Ā h_{t-1} + B̄ u_t"
                                + " update of one state element), log-log: a flat line is a kernel whose cost is"
                                + " linear in the length. " + band + "."));
            } else {
                notes.add("Kernel benchmarks (" + where + "): the results do not give batch, channels and state"
                        + " sizes, so the ns-per-state-update chart is omitted.");
            }
        }
        return charts;
    }

    private static ChartSpec chart(List<Point> points, String id, String title, String yTitle,
                                   java.util.function.ToDoubleFunction<Point> y, String caption) {
        ChartSpec.Builder chart = new ChartSpec.Builder(id, title, "sequence length L (log scale)", yTitle)
                .logX().logY();
        Map<String, List<Point>> bySeries = new LinkedHashMap<>();
        points.stream().sorted(Comparator.comparing(Point::series).thenComparingInt(Point::length))
                .forEach(p -> bySeries.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(p));
        int index = 0;
        for (Map.Entry<String, List<Point>> s : bySeries.entrySet()) {
            List<ChartSpec.Point> ps = new ArrayList<>();
            TreeMap<Integer, Point> byLength = new TreeMap<>();
            s.getValue().stream().filter(p -> p.seconds() != null).forEach(p -> byLength.putIfAbsent(p.length(), p));
            for (Point p : byLength.values()) {
                double v = y.applyAsDouble(p);
                double scale = v / p.seconds();
                ps.add(new ChartSpec.Point(p.length(), v, p.lo() == null ? null : p.lo() * scale,
                        p.hi() == null ? null : p.hi() * scale, 1));
            }
            chart.line(new ChartSpec.Line(s.getKey(), null, index++, ps));
            for (Point p : s.getValue()) {
                if (p.seconds() == null) {
                    chart.unmeasured(new ChartSpec.Unmeasured(s.getKey(), null, p.length(), p.status(), p.note()));
                }
            }
        }
        return chart.caption(caption).build();
    }
}
