package io.seqbench.kernels.rnn;

import io.seqbench.kernels.op.OpThreads;

/**
 * The GRU recurrence and its backpropagation through time on flat row-major double arrays: the arithmetic of
 * {@link GruOp} and {@link GruBackwardOp} (equations in the package documentation).
 *
 * <p>Sequences are independent, so both passes run in parallel over the batch, on at most {@code threads}
 * threads of the ForkJoin common pool and the calling thread (the ops pass ND4J's pinned thread count). The
 * backward pass gives each of a fixed number of batch chunks its own accumulator for the weight gradients and
 * adds them up in chunk order: the result does not depend on the number of threads. Inner loops run along
 * contiguous rows, four rows at a time ({@link #accumulate}); the backward keeps a transposed copy of u for the
 * same reason, and accumulates the gradient of u once per sequence from the stored per-position gradients
 * rather than once per position. The backward recomputes the gates from the saved outputs h instead of storing
 * them (one extra h·U per position).
 */
final class GruKernel {
    /** Upper bound on batch chunks in the backward pass (each holds a (d, 3d) accumulator). */
    private static final int MAX_CHUNKS = 16;
    /** Upper bound, in doubles, on the memory of all chunk accumulators together (64 MiB). */
    private static final long MAX_ACCUMULATOR_DOUBLES = 8L << 20;

    private GruKernel() {
    }

    /**
     * Forward pass from h_0 = 0.
     *
     * @param xp   (batch, length, 3d) projected inputs
     * @param u    (d, 3d) recurrent weights
     * @param bh   (3d) recurrent bias
     * @param hOut (batch, length, d) written: the hidden states
     * @param threads the most threads to use (≥ 1)
     */
    static void forward(double[] xp, double[] u, double[] bh, double[] hOut, int batch, int length, int d,
                        int threads) {
        int g3 = 3 * d;
        OpThreads.parallel(batch, threads, b -> {
            double[] a = new double[g3];
            for (int t = 0; t < length; t++) {
                int xo = (b * length + t) * g3;
                int ho = (b * length + t) * d;
                int previous = t == 0 ? -1 : ho - d;
                System.arraycopy(bh, 0, a, 0, g3);                                  // a = h_{t−1} U + b_h
                if (previous >= 0) {
                    accumulate(a, 0, g3, hOut, previous, 1, d, u, 0, g3);
                }
                for (int j = 0; j < d; j++) {
                    double r = sigmoid(xp[xo + j] + a[j]);
                    double z = sigmoid(xp[xo + d + j] + a[d + j]);
                    double n = tanh(xp[xo + 2 * d + j] + r * a[2 * d + j]);
                    double hPrev = previous < 0 ? 0.0 : hOut[previous + j];
                    hOut[ho + j] = (1 - z) * n + z * hPrev;
                }
            }
        });
    }

    /**
     * Backward pass (backpropagation through time).
     *
     * @param xp   (batch, length, 3d) projected inputs of the forward pass
     * @param u    (d, 3d) recurrent weights
     * @param bh   (3d) recurrent bias
     * @param h    (batch, length, d) the forward pass's outputs
     * @param dh   (batch, length, d) gradient of the loss with respect to h
     * @param dxp  (batch, length, 3d) written: gradient with respect to xp
     * @param du   (d, 3d) written: gradient with respect to u
     * @param dbh  (3d) written: gradient with respect to bh
     * @param threads the most threads to use (≥ 1)
     */
    static void backward(double[] xp, double[] u, double[] bh, double[] h, double[] dh,
                         double[] dxp, double[] du, double[] dbh, int batch, int length, int d, int threads) {
        int g3 = 3 * d;
        double[] ut = new double[g3 * d];                    // u transposed: (3d, d)
        for (int k = 0; k < d; k++) {
            for (int j = 0; j < g3; j++) {
                ut[j * d + k] = u[k * g3 + j];
            }
        }
        int chunks = chunks(batch, d);
        double[][] duChunk = new double[chunks][g3 * d];
        double[][] dbhChunk = new double[chunks][g3];
        OpThreads.parallel(chunks, threads, c -> {
            int from = (int) ((long) batch * c / chunks);
            int to = (int) ((long) batch * (c + 1) / chunks);
            double[] a = new double[g3];
            double[] g = new double[length * g3];             // per position, gradient w.r.t. a = h_{t−1} U + b_h
            double[] carry = new double[d];                   // gradient w.r.t. h_t from position t + 1
            double[] next = new double[d];
            double[] acc = duChunk[c];
            double[] accBias = dbhChunk[c];
            for (int b = from; b < to; b++) {
                java.util.Arrays.fill(carry, 0.0);
                for (int t = length - 1; t >= 0; t--) {
                    int xo = (b * length + t) * g3;
                    int ho = (b * length + t) * d;
                    int go = t * g3;
                    int previous = t == 0 ? -1 : ho - d;
                    System.arraycopy(bh, 0, a, 0, g3);                              // recompute the gates
                    if (previous >= 0) {
                        accumulate(a, 0, g3, h, previous, 1, d, u, 0, g3);
                    }
                    for (int j = 0; j < d; j++) {
                        double r = sigmoid(xp[xo + j] + a[j]);
                        double z = sigmoid(xp[xo + d + j] + a[d + j]);
                        double n = tanh(xp[xo + 2 * d + j] + r * a[2 * d + j]);
                        double hPrev = previous < 0 ? 0.0 : h[previous + j];
                        double dht = dh[ho + j] + carry[j];
                        double dn = dht * (1 - z);
                        double dz = dht * (hPrev - n);
                        double dan = dn * (1 - n * n);              // through tanh
                        double dar = dan * a[2 * d + j] * r * (1 - r);
                        double daz = dz * z * (1 - z);
                        dxp[xo + j] = dar;
                        dxp[xo + d + j] = daz;
                        dxp[xo + 2 * d + j] = dan;
                        g[go + j] = dar;
                        g[go + d + j] = daz;
                        g[go + 2 * d + j] = dan * r;
                        next[j] = dht * z;                          // the direct path h_{t−1} → h_t
                    }
                    accumulate(next, 0, d, g, go, 1, g3, ut, 0, d);   // carry = dh ⊙ z + g Uᵀ
                    double[] swap = carry;
                    carry = next;
                    next = swap;
                }
                for (int t = 0; t < length; t++) {
                    for (int j = 0; j < g3; j++) {
                        accBias[j] += g[t * g3 + j];
                    }
                }
                for (int k = 0; k < d; k++) {                           // du[k, :] += Σ_{t≥1} h_{t−1}[k] g_t
                    accumulate(acc, k * g3, g3, h, b * length * d + k, d, length - 1, g, g3, g3);
                }
            }
        });
        OpThreads.sumInOrder(duChunk, du);
        OpThreads.sumInOrder(dbhChunk, dbh);
    }

    /**
     * The one product of the kernel: {@code acc[ao + j] += Σ_{i<m} c[co + i·cs] · mat[mo + i·ms + j]} for
     * j &lt; n, four rows of {@code mat} per pass over {@code acc} (a quarter of the loads and stores of acc).
     */
    static void accumulate(double[] acc, int ao, int n, double[] c, int co, int cs, int m, double[] mat, int mo,
                           int ms) {
        int i = 0;
        for (; i + 3 < m; i += 4) {
            double c0 = c[co + i * cs];
            double c1 = c[co + (i + 1) * cs];
            double c2 = c[co + (i + 2) * cs];
            double c3 = c[co + (i + 3) * cs];
            int r0 = mo + i * ms;
            int r1 = r0 + ms;
            int r2 = r1 + ms;
            int r3 = r2 + ms;
            for (int j = 0; j < n; j++) {
                acc[ao + j] += c0 * mat[r0 + j] + c1 * mat[r1 + j] + c2 * mat[r2 + j] + c3 * mat[r3 + j];
            }
        }
        for (; i < m; i++) {
            double ci = c[co + i * cs];
            int row = mo + i * ms;
            for (int j = 0; j < n; j++) {
                acc[ao + j] += ci * mat[row + j];
            }
        }
    }

    /** The number of batch chunks of the backward pass: a function of the sizes only, never of the threads. */
    static int chunks(int batch, int d) {
        long perChunk = 3L * d * d + 3L * d;
        long byMemory = Math.max(1, MAX_ACCUMULATOR_DOUBLES / perChunk);
        return (int) Math.max(1, Math.min(batch, Math.min(MAX_CHUNKS, byMemory)));
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** tanh through the exponential (Math.tanh is not an intrinsic on Java 17 and is several times slower). */
    static double tanh(double x) {
        return 1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0);
    }
}
