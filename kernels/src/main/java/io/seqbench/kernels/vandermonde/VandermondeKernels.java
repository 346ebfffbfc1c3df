package io.seqbench.kernels.vandermonde;

import io.seqbench.kernels.op.OpThreads;

/**
 * The convolution kernel of a diagonal complex state space model with conjugate-pair modes, by a Vandermonde
 * product: the arithmetic behind {@link VandermondeKernelOp}, in double precision.
 *
 * <p>For each channel c, with M complex modes z[c, m] (the discrete state matrix Ā's diagonal) and weights
 * w[c, m] (C·B̄), the kernel of length L is
 * <pre>
 *   K[c, l] = 2 · Re Σ_m w[c, m] · z[c, m]^l        l = 0 … L−1
 * </pre>
 * The factor 2 and the real part stand for the conjugate partner of every mode, which is not stored. Complex
 * numbers are passed as separate real and imaginary arrays of shape (channels, modes), flat row-major; the
 * kernel is (channels, length).
 *
 * <p>Powers are formed by repeated complex multiplication (relative error ≈ l·1e-16), channels in parallel on at
 * most the run's thread count ({@link OpThreads}); each channel's arithmetic is sequential, so results do not depend
 * on the thread count.
 */
public final class VandermondeKernels {
    private VandermondeKernels() {
    }

    /**
     * K[c, l] = 2 Re Σ_m w z^l.
     *
     * @param out (channels, length), overwritten
     */
    public static void kernel(double[] zRe, double[] zIm, double[] wRe, double[] wIm, int channels, int modes,
                              int length, double[] out) {
        check(zRe, zIm, wRe, wIm, channels, modes, length);
        checkSize("kernel", out, (long) channels * length);
        OpThreads.parallel(channels, c -> {
            int row = c * length;
            java.util.Arrays.fill(out, row, row + length, 0.0);
            for (int m = 0; m < modes; m++) {
                int i = c * modes + m;
                double zr = zRe[i];
                double zi = zIm[i];
                double pr = 2 * wRe[i];    // 2·w·z^l, starting at l = 0
                double pi = 2 * wIm[i];
                for (int l = 0; l < length; l++) {
                    out[row + l] += pr;
                    double r = pr * zr - pi * zi;
                    pi = pr * zi + pi * zr;
                    pr = r;
                }
            }
        });
    }

    /**
     * Gradients of {@link #kernel} for an upstream gradient g = ∂loss/∂K (channels, length). With
     * T = Σ_l g_l z^l and S = Σ_l g_l · l · z^(l−1) (complex), and K real:
     * <pre>
     *   ∂loss/∂Re w = 2 Re T,   ∂loss/∂Im w = −2 Im T,   ∂loss/∂Re z = 2 Re(w S),   ∂loss/∂Im z = −2 Im(w S)
     * </pre>
     * (for the holomorphic f(z) = w z^l, ∂Re f/∂Re z = Re f′ and ∂Re f/∂Im z = −Im f′).
     *
     * @param dzRe (channels, modes), overwritten; likewise dzIm, dwRe, dwIm
     */
    public static void backward(double[] zRe, double[] zIm, double[] wRe, double[] wIm, double[] g,
                                int channels, int modes, int length,
                                double[] dzRe, double[] dzIm, double[] dwRe, double[] dwIm) {
        check(zRe, zIm, wRe, wIm, channels, modes, length);
        checkSize("gradient", g, (long) channels * length);
        OpThreads.parallel(channels, c -> {
            int row = c * length;
            for (int m = 0; m < modes; m++) {
                int i = c * modes + m;
                double zr = zRe[i];
                double zi = zIm[i];
                double pr = 1;      // z^l
                double pi = 0;
                double tr = 0;      // T = Σ g_l z^l
                double ti = 0;
                double sr = 0;      // S = Σ g_{l+1} (l+1) z^l
                double si = 0;
                for (int l = 0; l < length; l++) {
                    double gl = g[row + l];
                    tr += gl * pr;
                    ti += gl * pi;
                    if (l + 1 < length) {
                        double f = g[row + l + 1] * (l + 1);
                        sr += f * pr;
                        si += f * pi;
                    }
                    double r = pr * zr - pi * zi;
                    pi = pr * zi + pi * zr;
                    pr = r;
                }
                double wr = wRe[i];
                double wi = wIm[i];
                dwRe[i] = 2 * tr;
                dwIm[i] = -2 * ti;
                dzRe[i] = 2 * (wr * sr - wi * si);
                dzIm[i] = -2 * (wr * si + wi * sr);
            }
        });
    }

    /**
     * Reference for {@link #kernel} by a different route: z^l = exp(l · log z) with the principal complex
     * logarithm, O(C·M·L) transcendental calls. Requires z ≠ 0.
     */
    public static void kernelByLogarithm(double[] zRe, double[] zIm, double[] wRe, double[] wIm, int channels,
                                         int modes, int length, double[] out) {
        check(zRe, zIm, wRe, wIm, channels, modes, length);
        for (int c = 0; c < channels; c++) {
            for (int l = 0; l < length; l++) {
                double sum = 0;
                for (int m = 0; m < modes; m++) {
                    int i = c * modes + m;
                    double logAbs = 0.5 * Math.log(zRe[i] * zRe[i] + zIm[i] * zIm[i]);
                    double arg = Math.atan2(zIm[i], zRe[i]);
                    double abs = Math.exp(l * logAbs);
                    double pr = abs * Math.cos(l * arg);
                    double pi = abs * Math.sin(l * arg);
                    sum += 2 * (wRe[i] * pr - wIm[i] * pi);
                }
                out[c * length + l] = sum;
            }
        }
    }

    private static void check(double[] zRe, double[] zIm, double[] wRe, double[] wIm, int channels, int modes,
                              int length) {
        if (channels < 1 || modes < 1 || length < 1) {
            throw new IllegalArgumentException("channels, modes and length must be ≥ 1, got " + channels + ", "
                    + modes + ", " + length);
        }
        long n = (long) channels * modes;
        checkSize("z (real part)", zRe, n);
        checkSize("z (imaginary part)", zIm, n);
        checkSize("w (real part)", wRe, n);
        checkSize("w (imaginary part)", wIm, n);
    }

    private static void checkSize(String name, double[] a, long expected) {
        if (a.length != expected) {
            throw new IllegalArgumentException(name + " has " + a.length + " elements, expected " + expected);
        }
    }
}
