package io.seqbench.kernels.scan;

/**
 * Host-side float32 inputs of one selective-scan call, as dense row-major arrays in the layouts of the
 * contract. Optional inputs are {@code null}.
 *
 * @param shape         the sizes
 * @param u             (batch, channels, length)
 * @param delta         (batch, channels, length)
 * @param a             (channels, state), real (Mamba stores A = −exp(A_log), so entries are negative)
 * @param b             (batch, state, length) or (batch, groups, state, length)
 * @param c             same shape as {@code b}
 * @param d             optional (channels) skip weight
 * @param z             optional (batch, channels, length) gate
 * @param deltaBias     optional (channels) added to delta
 * @param deltaSoftplus whether Δ = softplus(delta + delta_bias)
 */
public record ScanInputs(ScanShape shape, float[] u, float[] delta, float[] a, float[] b, float[] c,
                         float[] d, float[] z, float[] deltaBias, boolean deltaSoftplus) {
    public ScanInputs {
        long seq = shape.sequenceElements();
        check("u", u, seq, true);
        check("delta", delta, seq, true);
        check("A", a, (long) shape.channels() * shape.state(), true);
        check("B", b, shape.bcElements(), true);
        check("C", c, shape.bcElements(), true);
        check("D", d, shape.channels(), false);
        check("z", z, seq, false);
        check("delta_bias", deltaBias, shape.channels(), false);
    }

    private static void check(String name, float[] values, long expected, boolean required) {
        if (values == null) {
            if (required) {
                throw new IllegalArgumentException(name + " is required");
            }
            return;
        }
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " has " + values.length + " elements, expected " + expected);
        }
    }
}
