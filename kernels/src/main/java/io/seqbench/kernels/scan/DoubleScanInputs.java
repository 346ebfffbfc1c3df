package io.seqbench.kernels.scan;

/**
 * Host-side float64 inputs of one selective-scan call: the double-precision twin of {@link ScanInputs}, used by
 * the reference's double entry points (finite-difference checks, the SameDiff op on DOUBLE arrays).
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
public record DoubleScanInputs(ScanShape shape, double[] u, double[] delta, double[] a, double[] b, double[] c,
                               double[] d, double[] z, double[] deltaBias, boolean deltaSoftplus) {
    public DoubleScanInputs {
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

    /** The float inputs widened to double. */
    public static DoubleScanInputs of(ScanInputs in) {
        return new DoubleScanInputs(in.shape(), widen(in.u()), widen(in.delta()), widen(in.a()), widen(in.b()),
                widen(in.c()), widen(in.d()), widen(in.z()), widen(in.deltaBias()), in.deltaSoftplus());
    }

    static double[] widen(float[] values) {
        if (values == null) {
            return null;
        }
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    static float[] narrow(double[] values) {
        if (values == null) {
            return null;
        }
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static void check(String name, double[] values, long expected, boolean required) {
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
