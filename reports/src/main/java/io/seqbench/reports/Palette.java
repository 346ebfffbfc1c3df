package io.seqbench.reports;

import io.seqbench.architectures.ArchitectureType;
import io.seqbench.architectures.Architectures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One colour per architecture type, the same in every chart and table, and one line style and marker per
 * variant of a type (runs of one type with different model configs).
 *
 * <p>The six architectures of the suite have fixed colours from the colour-blind-safe Okabe–Ito palette, in
 * the order of the issue (lstm, gru, conv, transformer, s4, mamba), so a colour never moves when an
 * architecture is registered or a report shows only some of them. Other registered types take the extra
 * colours in registry order ({@link Architectures#all()}); a type the registry does not know is grey.
 */
final class Palette {
    /** The architectures of the suite, in report order, with their colours and families. */
    private static final List<String> KNOWN = List.of("lstm", "gru", "conv", "transformer", "s4", "mamba");
    private static final Map<String, Color> KNOWN_COLORS = Map.of(
            "lstm", new Color(0xE69F00),
            "gru", new Color(0xD55E00),
            "conv", new Color(0x009E73),
            "transformer", new Color(0x0072B2),
            "s4", new Color(0xCC79A7),
            "mamba", new Color(0x000000));
    private static final Map<String, String> KNOWN_FAMILIES = Map.of(
            "lstm", "rnn", "gru", "rnn", "conv", "cnn", "transformer", "transformer", "s4", "s4", "mamba", "mamba");
    private static final Color[] EXTRA = {new Color(0x56B4E9), new Color(0x8C564B), new Color(0x6A3D9A),
            new Color(0x1B9E77)};
    static final Color UNKNOWN = new Color(0x999999);

    /** Markers by variant index: filled circle, square, diamond, triangles. */
    static final org.knowm.xchart.style.markers.Marker[] MARKERS = {
            org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE,
            org.knowm.xchart.style.markers.SeriesMarkers.SQUARE,
            org.knowm.xchart.style.markers.SeriesMarkers.DIAMOND,
            org.knowm.xchart.style.markers.SeriesMarkers.TRIANGLE_UP,
            org.knowm.xchart.style.markers.SeriesMarkers.TRIANGLE_DOWN};

    /** Line strokes by variant index: solid, dashed, dotted, dash-dot. */
    private static final float[][] DASHES = {null, {9f, 5f}, {2.5f, 3.5f}, {9f, 4f, 2.5f, 4f}};

    private Palette() {
    }

    /** The colour of an architecture type. */
    static Color of(String type) {
        Color c = type == null ? null : KNOWN_COLORS.get(type);
        if (c != null) {
            return c;
        }
        int extra = 0;
        for (ArchitectureType<?> t : Architectures.all()) {
            if (KNOWN_COLORS.containsKey(t.key())) {
                continue;
            }
            if (t.key().equals(type)) {
                return EXTRA[extra % EXTRA.length];
            }
            extra++;
        }
        return UNKNOWN;
    }

    /** The colour as {@code #rrggbb}, for HTML. */
    static String hex(String type) {
        return hex(of(type));
    }

    static String hex(Color c) {
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    /** The family of a type (rnn, cnn, transformer, s4, mamba), or "—". */
    static String family(String type) {
        for (ArchitectureType<?> t : Architectures.all()) {
            if (t.key().equals(type)) {
                return t.family();
            }
        }
        return KNOWN_FAMILIES.getOrDefault(type, "—");
    }

    /** Report order of types: the suite's six first, then registered ones, then the rest by name. */
    static Comparator<String> typeOrder() {
        List<String> order = new ArrayList<>(KNOWN);
        Architectures.all().forEach(t -> {
            if (!order.contains(t.key())) {
                order.add(t.key());
            }
        });
        return Comparator.<String>comparingInt(t -> order.contains(t) ? order.indexOf(t) : order.size())
                .thenComparing(Comparator.nullsLast(Comparator.naturalOrder()));
    }

    static org.knowm.xchart.style.markers.Marker marker(int variant) {
        return MARKERS[Math.floorMod(variant, MARKERS.length)];
    }

    static BasicStroke stroke(int variant, float width) {
        float[] dash = DASHES[Math.floorMod(variant, DASHES.length)];
        return dash == null ? new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
    }

    /** A tint of the type's colour for bars of variant {@code variant} (0: the colour itself). */
    static Color tint(String type, int variant) {
        Color c = of(type);
        if (variant == 0) {
            return c;
        }
        float f = Math.min(0.6f, 0.22f * variant);
        return new Color(mix(c.getRed(), f), mix(c.getGreen(), f), mix(c.getBlue(), f));
    }

    private static int mix(int channel, float towardsWhite) {
        return Math.round(channel + (255 - channel) * towardsWhite);
    }

    /** The same colour, translucent (for spread bands). */
    static Color translucent(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }
}
