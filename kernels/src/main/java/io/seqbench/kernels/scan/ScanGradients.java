package io.seqbench.kernels.scan;

/**
 * Gradients of a selective-scan call with respect to each input, in the input's layout; {@code null} for an
 * optional input that was not given.
 */
public record ScanGradients(float[] du, float[] ddelta, float[] da, float[] db, float[] dc,
                            float[] dd, float[] dz, float[] ddeltaBias) {
}
