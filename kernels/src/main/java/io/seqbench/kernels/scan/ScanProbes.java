package io.seqbench.kernels.scan;

/**
 * Entry points for benchmarks that explain what bounds the fused scan: the same exponential its kernels use,
 * applied to an array on its own. Not used by the scan itself.
 */
public final class ScanProbes {
    private ScanProbes() {
    }

    /**
     * y[i] = e^{x[i]} with the fused kernel's exponential: the Vector API version when the JVM has
     * {@code jdk.incubator.vector}, otherwise the scalar one.
     *
     * @param x inputs
     * @param y outputs, at least as long as {@code x}
     */
    public static void exp(float[] x, float[] y) {
        if (FusedSelectiveScan.vectorized()) {
            VectorExp.apply(x, y);
        } else {
            for (int i = 0; i < x.length; i++) {
                y[i] = ScanMath.exp(x[i]);
            }
        }
    }

    /** Loaded only with the Vector API present. */
    private static final class VectorExp {
        static void apply(float[] x, float[] y) {
            var species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
            int bound = species.loopBound(x.length);
            int i = 0;
            for (; i < bound; i += species.length()) {
                VectorRowKernel.exp(jdk.incubator.vector.FloatVector.fromArray(species, x, i)).intoArray(y, i);
            }
            for (; i < x.length; i++) {
                y[i] = ScanMath.exp(x[i]);
            }
        }
    }
}
