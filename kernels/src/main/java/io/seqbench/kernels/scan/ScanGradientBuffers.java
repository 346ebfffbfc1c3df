package io.seqbench.kernels.scan;

import java.nio.FloatBuffer;

/**
 * Where {@link FusedSelectiveScan#backward} writes the gradients: one float buffer per input, in the input's
 * layout (index 0 = first element); {@code null} for an optional input that was not given. Every element is
 * overwritten.
 */
public record ScanGradientBuffers(FloatBuffer du, FloatBuffer ddelta, FloatBuffer da, FloatBuffer db,
                                  FloatBuffer dc, FloatBuffer dd, FloatBuffer dz, FloatBuffer ddeltaBias) {

    /** Heap buffers over the arrays of {@code g} (no copy). */
    public static ScanGradientBuffers of(ScanGradients g) {
        return new ScanGradientBuffers(ScanBuffers.wrap(g.du()), ScanBuffers.wrap(g.ddelta()),
                ScanBuffers.wrap(g.da()), ScanBuffers.wrap(g.db()), ScanBuffers.wrap(g.dc()),
                ScanBuffers.wrap(g.dd()), ScanBuffers.wrap(g.dz()), ScanBuffers.wrap(g.ddeltaBias()));
    }

    /** Fresh zero gradient arrays shaped like the inputs of {@code in} ({@code null} for absent inputs). */
    static ScanGradients allocate(ScanInputs in) {
        return new ScanGradients(new float[in.u().length], new float[in.delta().length], new float[in.a().length],
                new float[in.b().length], new float[in.c().length], in.d() == null ? null : new float[in.d().length],
                in.z() == null ? null : new float[in.z().length],
                in.deltaBias() == null ? null : new float[in.deltaBias().length]);
    }

    void requireMatches(ScanBuffers in) {
        ScanShape s = in.shape();
        ScanBuffers.require("du", du, s.sequenceElements(), true);
        ScanBuffers.require("ddelta", ddelta, s.sequenceElements(), true);
        ScanBuffers.require("dA", da, (long) s.channels() * s.state(), true);
        ScanBuffers.require("dB", db, s.bcElements(), true);
        ScanBuffers.require("dC", dc, s.bcElements(), true);
        requirePresence("dD", dd, in.d(), s.channels());
        requirePresence("dz", dz, in.z(), s.sequenceElements());
        requirePresence("ddelta_bias", ddeltaBias, in.deltaBias(), s.channels());
    }

    private static void requirePresence(String name, FloatBuffer grad, FloatBuffer input, long elements) {
        if ((grad == null) != (input == null)) {
            throw new IllegalArgumentException(name + " must be given exactly when its input is given");
        }
        ScanBuffers.require(name, grad, elements, false);
    }
}
