package io.seqbench.kernels.conv;

/**
 * The depthwise causal convolution written plainly in double precision, one output at a time: the reference
 * that {@link CausalConvOp} is tested against (equation in the package documentation).
 */
public final class CausalConvReference {
    private CausalConvReference() {
    }

    /**
     * @param x        (batch, length, channels) input
     * @param w        (k, channels) filters, tap k−1 at the current position
     * @param bias     (channels)
     * @param dilation δ ≥ 1
     * @return (batch, length, channels)
     */
    public static double[][][] forward(double[][][] x, double[][] w, double[] bias, int dilation) {
        int k = w.length;
        double[][][] y = new double[x.length][x[0].length][bias.length];
        for (int b = 0; b < x.length; b++) {
            for (int t = 0; t < x[b].length; t++) {
                for (int c = 0; c < bias.length; c++) {
                    double sum = bias[c];
                    for (int j = 0; j < k; j++) {
                        int s = t - (k - 1 - j) * dilation;
                        if (s >= 0) {
                            sum += w[j][c] * x[b][s][c];
                        }
                    }
                    y[b][t][c] = sum;
                }
            }
        }
        return y;
    }
}
