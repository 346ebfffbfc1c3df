package io.seqbench.harness.probe;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Repeated wall-clock timings of one point: median and spread. */
final class Timings {
    private Timings() {
    }

    /** Median, min and max of {@code seconds}, plus the repeat count, as a measured-values map. */
    static Map<String, Double> summary(double[] seconds, String prefix) {
        double[] s = seconds.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "median_seconds", median);
        m.put(prefix + "min_seconds", s[0]);
        m.put(prefix + "max_seconds", s[s.length - 1]);
        m.put(prefix + "repeats", (double) s.length);
        return m;
    }

    static double median(double[] seconds) {
        double[] s = seconds.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
