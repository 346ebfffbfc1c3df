package io.seqbench.kernels.scan;

import java.nio.FloatBuffer;

/**
 * Float32 inputs of one selective-scan call as NIO buffers, read in place by {@link FusedSelectiveScan}: heap
 * buffers over {@link ScanInputs}' arrays, or direct buffers over ND4J memory (zero-copy). Index 0 of every
 * buffer is the array's first element; layouts are those of the contract, row-major. Optional inputs are
 * {@code null}.
 *
 * @param shape         the sizes
 * @param u             (batch, channels, length)
 * @param delta         (batch, channels, length)
 * @param a             (channels, state)
 * @param b             (batch, state, length) or (batch, groups, state, length)
 * @param c             same shape as {@code b}
 * @param d             optional (channels)
 * @param z             optional (batch, channels, length)
 * @param deltaBias     optional (channels)
 * @param deltaSoftplus whether Δ = softplus(delta + delta_bias)
 */
public record ScanBuffers(ScanShape shape, FloatBuffer u, FloatBuffer delta, FloatBuffer a, FloatBuffer b,
                          FloatBuffer c, FloatBuffer d, FloatBuffer z, FloatBuffer deltaBias,
                          boolean deltaSoftplus) {
    public ScanBuffers {
        long seq = shape.sequenceElements();
        require("u", u, seq, true);
        require("delta", delta, seq, true);
        require("A", a, (long) shape.channels() * shape.state(), true);
        require("B", b, shape.bcElements(), true);
        require("C", c, shape.bcElements(), true);
        require("D", d, shape.channels(), false);
        require("z", z, seq, false);
        require("delta_bias", deltaBias, shape.channels(), false);
    }

    /** Heap buffers over the arrays of {@code in} (no copy). */
    public static ScanBuffers of(ScanInputs in) {
        return new ScanBuffers(in.shape(), wrap(in.u()), wrap(in.delta()), wrap(in.a()), wrap(in.b()),
                wrap(in.c()), wrap(in.d()), wrap(in.z()), wrap(in.deltaBias()), in.deltaSoftplus());
    }

    static FloatBuffer wrap(float[] values) {
        return values == null ? null : FloatBuffer.wrap(values);
    }

    /**
     * Checks that a buffer holds at least {@code elements} floats from index 0.
     *
     * @throws IllegalArgumentException naming the buffer when it is too small or a required one is missing
     */
    static void require(String name, FloatBuffer buffer, long elements, boolean required) {
        if (buffer == null) {
            if (required) {
                throw new IllegalArgumentException(name + " is required");
            }
            return;
        }
        if (elements > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " has " + elements + " elements; the fused scan supports at"
                    + " most " + Integer.MAX_VALUE + " per array");
        }
        if (buffer.limit() < elements) {
            throw new IllegalArgumentException(name + " holds " + buffer.limit() + " floats, expected at least "
                    + elements);
        }
    }
}
