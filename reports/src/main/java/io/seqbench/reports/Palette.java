package io.seqbench.reports;

import java.awt.Color;
import java.util.Map;

/** One colour per architecture type, the same in every chart (colour-blind-safe Okabe–Ito palette). */
final class Palette {
    private static final Map<String, Color> BY_TYPE = Map.of(
            "lstm", new Color(0xE69F00),
            "gru", new Color(0xD55E00),
            "conv", new Color(0x009E73),
            "transformer", new Color(0x0072B2),
            "s4", new Color(0xCC79A7),
            "mamba", new Color(0x000000));
    private static final Color[] OTHERS = {new Color(0x56B4E9), new Color(0xF0E442), new Color(0x999999)};

    private Palette() {
    }

    static Color of(String type) {
        Color c = BY_TYPE.get(type);
        if (c != null) {
            return c;
        }
        return OTHERS[Math.floorMod(type == null ? 0 : type.hashCode(), OTHERS.length)];
    }

    static String hex(String type) {
        Color c = of(type);
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }
}
