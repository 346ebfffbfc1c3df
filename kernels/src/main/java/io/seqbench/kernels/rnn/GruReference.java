package io.seqbench.kernels.rnn;

/**
 * The GRU recurrence written plainly, one position and one unit at a time in double precision: the reference
 * that {@link GruOp} is tested against. No loop is reordered and nothing is cached; see the package
 * documentation for the equations.
 */
public final class GruReference {
    private GruReference() {
    }

    /**
     * Runs the recurrence from h_0 = 0.
     *
     * @param xp projected inputs (batch, length, 3d), gate blocks r, z, n along the last axis
     * @param u  recurrent weights (d, 3d), same block order
     * @param bh recurrent bias (3d)
     * @return h (batch, length, d), the hidden state after each position
     */
    public static double[][][] forward(double[][][] xp, double[][] u, double[] bh) {
        int batch = xp.length;
        int length = xp[0].length;
        int d = u.length;
        double[][][] h = new double[batch][length][d];
        for (int b = 0; b < batch; b++) {
            double[] previous = new double[d];
            for (int t = 0; t < length; t++) {
                for (int j = 0; j < d; j++) {
                    double ar = bh[j];
                    double az = bh[d + j];
                    double an = bh[2 * d + j];
                    for (int k = 0; k < d; k++) {
                        ar += previous[k] * u[k][j];
                        az += previous[k] * u[k][d + j];
                        an += previous[k] * u[k][2 * d + j];
                    }
                    double r = sigmoid(xp[b][t][j] + ar);
                    double z = sigmoid(xp[b][t][d + j] + az);
                    double n = Math.tanh(xp[b][t][2 * d + j] + r * an);
                    h[b][t][j] = (1 - z) * n + z * previous[j];
                }
                previous = h[b][t];
            }
        }
        return h;
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
