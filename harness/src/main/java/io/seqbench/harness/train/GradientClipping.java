package io.seqbench.harness.train;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/** Global-norm gradient clipping (Pascanu et al., 2013), over all parameters at once. */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** The L2 norm of all gradients together. */
    public static double globalNorm(Map<String, INDArray> gradients) {
        double sum = 0;
        for (INDArray g : gradients.values()) {
            double n = g.norm2Number().doubleValue();
            sum += n * n;
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales all gradients in place so their global norm is at most {@code maxNorm} (0 = no clipping).
     *
     * @return the global norm before clipping
     */
    public static double clip(Map<String, INDArray> gradients, double maxNorm) {
        double norm = globalNorm(gradients);
        if (maxNorm > 0 && norm > maxNorm) {
            double scale = maxNorm / norm;
            for (INDArray g : gradients.values()) {
                g.muli(scale);
            }
        }
        return norm;
    }
}
