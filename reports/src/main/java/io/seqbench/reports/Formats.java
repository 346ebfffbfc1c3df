package io.seqbench.reports;

import java.util.Locale;

/** Number formatting for tables, legends and captions: few digits, grouped thousands, never scientific noise. */
final class Formats {
    private Formats() {
    }

    /** Three significant digits, thousands grouped: 0.000123, 0.123, 12.3, 123, 12,346. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "-∞";
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a < 1e-4) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        int decimals = Math.max(0, 2 - (int) Math.floor(Math.log10(a)));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A mean with its min–max range when there is one: "97.6 (96.1–98.0)". */
    static String spread(Spread s) {
        return s.spread() ? num(s.mean()) + " (" + num(s.min()) + "–" + num(s.max()) + ")" : num(s.mean());
    }

    /** An integer with grouped thousands. */
    static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Seconds as "12.3 s", "4 min 05 s" or "1 h 02 min". */
    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    /** Bytes in binary units: "512 B", "3.5 MiB", "24 GiB". */
    static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (Math.abs(b) >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return num(b) + " " + units[u];
    }

    /** A file-name-safe slug of a label. */
    static String slug(String s) {
        String slug = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "x" : slug;
    }

    /** A length for axis labels and table heads: 1024 → "1,024". */
    static String length(double l) {
        return l == Math.rint(l) ? count((long) l) : num(l);
    }
}
