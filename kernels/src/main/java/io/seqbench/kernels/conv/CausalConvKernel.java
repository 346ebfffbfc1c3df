package io.seqbench.kernels.conv;

import io.seqbench.kernels.op.OpThreads;

/**
 * The arithmetic of {@link CausalConvOp} and {@link CausalConvBackwardOp} on flat row-major double arrays
 * (x, y: (batch, length, channels); w: (k, channels)). Loops run along the contiguous channel axis, so the JIT
 * can vectorise them; sequences run in parallel on at most the run's thread count ({@link OpThreads}), and sums over
 * positions and sequences run in a fixed order, so results are identical on every run and for every thread count.
 */
final class CausalConvKernel {
    private CausalConvKernel() {
    }

    /** y = bias + Σ_j w[j] ⊙ x shifted by (k−1−j)·δ; sequences in parallel. */
    static void forward(double[] x, double[] w, double[] bias, double[] y, int batch, int length, int channels,
                        int k, int dilation) {
        OpThreads.parallel(batch, b -> {
            for (int t = 0; t < length; t++) {
                int yo = (b * length + t) * channels;
                System.arraycopy(bias, 0, y, yo, channels);
                for (int j = 0; j < k; j++) {
                    int s = t - (k - 1 - j) * dilation;
                    if (s < 0) {
                        continue;
                    }
                    int xo = (b * length + s) * channels;
                    int wo = j * channels;
                    for (int c = 0; c < channels; c++) {
                        y[yo + c] += w[wo + c] * x[xo + c];
                    }
                }
            }
        });
    }

    /**
     * Gradients from dy: dx[s] = Σ_j w[j] ⊙ dy[s + (k−1−j)·δ];
     * dw[j] = Σ_{b,t} dy[t] ⊙ x[t − (k−1−j)·δ]; dbias = Σ_{b,t} dy[t]. Terms outside the sequence are zero.
     * Sequences run in parallel, each summing its dw and dbias terms in its own row; the rows are then added in
     * batch order, so the result does not depend on the thread count.
     */
    static void backward(double[] x, double[] w, double[] dy, double[] dx, double[] dw, double[] dbias, int batch,
                         int length, int channels, int k, int dilation) {
        java.util.Arrays.fill(dx, 0.0);
        double[][] dwRows = new double[batch][k * channels];
        double[][] dbiasRows = new double[batch][channels];
        OpThreads.parallel(batch, b -> {
            double[] dwb = dwRows[b];
            double[] dbb = dbiasRows[b];
            for (int t = 0; t < length; t++) {
                int yo = (b * length + t) * channels;
                for (int c = 0; c < channels; c++) {
                    dbb[c] += dy[yo + c];
                }
                for (int j = 0; j < k; j++) {
                    int s = t - (k - 1 - j) * dilation;
                    if (s < 0) {
                        continue;
                    }
                    int xo = (b * length + s) * channels;
                    int wo = j * channels;
                    for (int c = 0; c < channels; c++) {
                        dx[xo + c] += w[wo + c] * dy[yo + c];
                        dwb[wo + c] += dy[yo + c] * x[xo + c];
                    }
                }
            }
        });
        OpThreads.sumInOrder(dwRows, dw);
        OpThreads.sumInOrder(dbiasRows, dbias);
    }
}
