package io.seqbench.kernels.fft;

import io.seqbench.kernels.op.OpThreads;
import org.jtransforms.fft.DoubleFFT_1D;
import org.jtransforms.utils.CommonUtils;

/**
 * Per-channel causal convolutions of a batch of sequences with one kernel per channel: the arithmetic behind
 * {@link CausalFftConvOp}, in double precision, as an FFT version and a direct O(L²) reference.
 *
 * <p>Layouts (flat, row-major): inputs u and outputs y are (batch, length, channels), the kernels k are
 * (channels, length). The convolution is
 * <pre>
 *   y[b, t, c] = Σ_{s = 0..t} k[c, s] · u[b, t − s, c]
 * </pre>
 * and its gradients, for an upstream gradient g = ∂loss/∂y, are the correlations
 * <pre>
 *   ∂loss/∂u[b, s, c] = Σ_{t = s..L−1} k[c, t − s] · g[b, t, c]
 *   ∂loss/∂k[c, j]    = Σ_b Σ_{t = j..L−1} g[b, t, c] · u[b, t − j, c]
 * </pre>
 * The FFT versions zero-pad every sequence to n = the smallest power of two ≥ 2L, so the circular convolution
 * of length n equals the linear one on the first L outputs (no wrap-around reaches them). They run the channels
 * in parallel on at most the run's thread count ({@link OpThreads}); each channel's arithmetic is sequential, so
 * results do not depend on the thread count.
 */
public final class CausalConvolutions {
    static {
        // We parallelise over channels ourselves; JTransforms' own threads (from n = 8192 on) would only
        // oversubscribe the cores. These are JTransforms' global thresholds; nothing else in SeqBench uses it.
        CommonUtils.setThreadsBeginN_1D_FFT_2Threads(Long.MAX_VALUE);
        CommonUtils.setThreadsBeginN_1D_FFT_4Threads(Long.MAX_VALUE);
    }

    private CausalConvolutions() {
    }

    /** The FFT size for sequences of {@code length}: the smallest power of two ≥ 2·length. */
    public static int fftSize(int length) {
        if (length < 1 || length > (1 << 29)) {
            throw new IllegalArgumentException("length must be in [1, 2^29], got " + length);
        }
        return Integer.highestOneBit(2 * length - 1) << 1;
    }

    /**
     * y = causal_conv(u, k) by FFT.
     *
     * @param u (batch, length, channels)
     * @param k (channels, length)
     * @param y (batch, length, channels), overwritten
     */
    public static void forward(double[] u, double[] k, double[] y, int batch, int length, int channels) {
        checkSizes(u, k, batch, length, channels);
        checkSize("y", y, (long) batch * length * channels);
        int n = fftSize(length);
        double[] uc = toChannelMajor(u, batch, length, channels);
        double[] yc = new double[uc.length];
        OpThreads.parallel(channels, c -> {
            DoubleFFT_1D fft = fft(n);
            double[] kf = spectrumOfKernel(fft, k, c, length, n);
            double[] buf = new double[n];
            for (int b = 0; b < batch; b++) {
                int row = (c * batch + b) * length;
                load(uc, row, buf, length);
                fft.realForward(buf);
                multiply(buf, kf, false);
                fft.realInverse(buf, true);
                System.arraycopy(buf, 0, yc, row, length);
            }
        });
        fromChannelMajor(yc, y, batch, length, channels);
    }

    /**
     * The gradients of {@link #forward} by FFT.
     *
     * @param u  (batch, length, channels) the forward input
     * @param k  (channels, length) the forward kernels
     * @param g  (batch, length, channels) ∂loss/∂y
     * @param du (batch, length, channels) overwritten with ∂loss/∂u
     * @param dk (channels, length) overwritten with ∂loss/∂k
     */
    public static void backward(double[] u, double[] k, double[] g, double[] du, double[] dk,
                                int batch, int length, int channels) {
        checkSizes(u, k, batch, length, channels);
        checkSize("gradient", g, (long) batch * length * channels);
        checkSize("du", du, (long) batch * length * channels);
        checkSize("dk", dk, (long) channels * length);
        int n = fftSize(length);
        double[] uc = toChannelMajor(u, batch, length, channels);
        double[] gc = toChannelMajor(g, batch, length, channels);
        double[] duc = new double[uc.length];
        OpThreads.parallel(channels, c -> {
            DoubleFFT_1D fft = fft(n);
            double[] kf = spectrumOfKernel(fft, k, c, length, n);
            double[] gf = new double[n];
            double[] uf = new double[n];
            double[] dkf = new double[n];     // Σ_b G · conj(U), accumulated in the frequency domain
            for (int b = 0; b < batch; b++) {
                int row = (c * batch + b) * length;
                load(gc, row, gf, length);
                fft.realForward(gf);
                load(uc, row, uf, length);
                fft.realForward(uf);
                multiplyAccumulateConjugate(gf, uf, dkf);
                multiply(gf, kf, true);
                fft.realInverse(gf, true);
                System.arraycopy(gf, 0, duc, row, length);
            }
            fft.realInverse(dkf, true);
            System.arraycopy(dkf, 0, dk, c * length, length);
        });
        fromChannelMajor(duc, du, batch, length, channels);
    }

    /** Reference for {@link #forward}: the defining sum, O(B·L²·C). */
    public static void forwardDirect(double[] u, double[] k, double[] y, int batch, int length, int channels) {
        checkSizes(u, k, batch, length, channels);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int s = 0; s <= t; s++) {
                        sum += k[c * length + s] * u[(b * length + t - s) * channels + c];
                    }
                    y[(b * length + t) * channels + c] = sum;
                }
            }
        }
    }

    /** Reference for {@link #backward}: the defining sums, O(B·L²·C). */
    public static void backwardDirect(double[] u, double[] k, double[] g, double[] du, double[] dk,
                                      int batch, int length, int channels) {
        checkSizes(u, k, batch, length, channels);
        java.util.Arrays.fill(dk, 0, channels * length, 0.0);
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                for (int s = 0; s < length; s++) {
                    double sum = 0;
                    for (int t = s; t < length; t++) {
                        sum += k[c * length + t - s] * g[(b * length + t) * channels + c];
                    }
                    du[(b * length + s) * channels + c] = sum;
                }
                for (int j = 0; j < length; j++) {
                    double sum = 0;
                    for (int t = j; t < length; t++) {
                        sum += g[(b * length + t) * channels + c] * u[(b * length + t - j) * channels + c];
                    }
                    dk[c * length + j] += sum;
                }
            }
        }
    }

    // ---- helpers on JTransforms' packed real spectrum: a[0] = Re X_0, a[1] = Re X_{n/2},
    //      a[2j] = Re X_j, a[2j+1] = Im X_j for 0 < j < n/2 ----

    private static double[] spectrumOfKernel(DoubleFFT_1D fft, double[] k, int c, int length, int n) {
        double[] kf = new double[n];
        System.arraycopy(k, c * length, kf, 0, length);
        fft.realForward(kf);
        return kf;
    }

    /** a ← a · b (or a · conj(b)), element-wise on packed spectra. */
    static void multiply(double[] a, double[] b, boolean conjugateB) {
        a[0] *= b[0];
        a[1] *= b[1];
        double sign = conjugateB ? -1.0 : 1.0;
        for (int i = 2; i < a.length; i += 2) {
            double ar = a[i];
            double ai = a[i + 1];
            double br = b[i];
            double bi = sign * b[i + 1];
            a[i] = ar * br - ai * bi;
            a[i + 1] = ar * bi + ai * br;
        }
    }

    /** acc ← acc + a · conj(b), element-wise on packed spectra. */
    static void multiplyAccumulateConjugate(double[] a, double[] b, double[] acc) {
        acc[0] += a[0] * b[0];
        acc[1] += a[1] * b[1];
        for (int i = 2; i < a.length; i += 2) {
            double ar = a[i];
            double ai = a[i + 1];
            double br = b[i];
            double bi = -b[i + 1];
            acc[i] += ar * br - ai * bi;
            acc[i + 1] += ar * bi + ai * br;
        }
    }

    /** buf[0..L) ← x[from .. from + L); buf[L..n) ← 0. */
    private static void load(double[] x, int from, double[] buf, int length) {
        System.arraycopy(x, from, buf, 0, length);
        java.util.Arrays.fill(buf, length, buf.length, 0.0);
    }

    /** (batch, length, channels) → (channels, batch, length), so each sequence is contiguous. */
    private static double[] toChannelMajor(double[] x, int batch, int length, int channels) {
        double[] out = new double[x.length];
        int rows = batch * length;
        for (int r = 0; r < rows; r++) {               // r = b·L + t; out index (c·B + b)·L + t = c·rows + r
            int from = r * channels;
            for (int c = 0; c < channels; c++) {
                out[c * rows + r] = x[from + c];
            }
        }
        return out;
    }

    /** (channels, batch, length) → (batch, length, channels), into {@code out}. */
    private static void fromChannelMajor(double[] x, double[] out, int batch, int length, int channels) {
        int rows = batch * length;
        for (int r = 0; r < rows; r++) {
            int to = r * channels;
            for (int c = 0; c < channels; c++) {
                out[to + c] = x[c * rows + r];
            }
        }
    }

    /** This thread's FFT plan of size n (plans hold precomputed tables; one per thread avoids sharing them). */
    private static DoubleFFT_1D fft(int n) {
        DoubleFFT_1D plan = PLANS.get().get(n);
        if (plan == null) {
            plan = new DoubleFFT_1D(n);
            PLANS.get().put(n, plan);
        }
        return plan;
    }

    private static final ThreadLocal<java.util.Map<Integer, DoubleFFT_1D>> PLANS =
            ThreadLocal.withInitial(java.util.HashMap::new);

    private static void checkSizes(double[] u, double[] k, int batch, int length, int channels) {
        if (batch < 1 || length < 1 || channels < 1) {
            throw new IllegalArgumentException("batch, length and channels must be ≥ 1, got " + batch + ", "
                    + length + ", " + channels);
        }
        checkSize("u", u, (long) batch * length * channels);
        checkSize("k", k, (long) channels * length);
    }

    private static void checkSize(String name, double[] a, long expected) {
        if (a.length != expected) {
            throw new IllegalArgumentException(name + " has " + a.length + " elements, expected " + expected);
        }
    }
}
