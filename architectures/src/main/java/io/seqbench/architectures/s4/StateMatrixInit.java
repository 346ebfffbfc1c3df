package io.seqbench.architectures.s4;

/**
 * How S4D initialises the diagonal state matrix A and the input vector B of every channel's SSM (Gu et al.,
 * 2022, "On the Parameterization and Initialization of Diagonal State Space Models", §4). Each yields M = N/2
 * modes, the halves of conjugate pairs that are not stored; all channels start from the same A and B.
 */
public enum StateMatrixInit {
    /**
     * S4D-LegS: A = the N/2 eigenvalues −½ + iω_k (ω_k &gt; 0) of the normal part of HiPPO-LegS, B = Vᴴ B_LegS
     * for its eigenvectors V (see {@link HippoLegS}).
     */
    LEGS {
        @Override
        public Modes modes(int state) {
            HippoLegS.Diagonalization d = HippoLegS.diagonalizeNormalPart(state);
            double[][] b = d.project(HippoLegS.inputVector(state));
            return new Modes(d.lambdaRe(), d.lambdaIm(), b[0], b[1]);
        }
    },
    /** S4D-Lin: A_m = −½ + iπm, B_m = 1 (m = 0 … N/2−1). */
    LIN {
        @Override
        public Modes modes(int state) {
            int m = requireEven(state) / 2;
            Modes modes = constantB(m);
            for (int k = 0; k < m; k++) {
                modes.aRe()[k] = -0.5;
                modes.aIm()[k] = Math.PI * k;
            }
            return modes;
        }
    },
    /** S4D-Real: A_m = −(m+1), B_m = 1 (m = 0 … N/2−1); real modes (their conjugates coincide). */
    REAL {
        @Override
        public Modes modes(int state) {
            int m = requireEven(state) / 2;
            Modes modes = constantB(m);
            for (int k = 0; k < m; k++) {
                modes.aRe()[k] = -(k + 1);
            }
            return modes;
        }
    };

    /**
     * The initial continuous-time modes of one channel, each array of length M = N/2.
     *
     * @param aRe real parts of A's diagonal (all &lt; 0)
     * @param aIm imaginary parts of A's diagonal (≥ 0)
     * @param bRe real parts of B
     * @param bIm imaginary parts of B
     */
    public record Modes(double[] aRe, double[] aIm, double[] bRe, double[] bIm) {
    }

    /** The N/2 initial modes for state size N (even, ≥ 2). */
    public abstract Modes modes(int state);

    private static Modes constantB(int m) {
        double[] ones = new double[m];
        java.util.Arrays.fill(ones, 1.0);
        return new Modes(new double[m], new double[m], ones, new double[m]);
    }

    private static int requireEven(int state) {
        if (state < 2 || state % 2 != 0) {
            throw new IllegalArgumentException("state: must be an even number ≥ 2, got " + state);
        }
        return state;
    }
}
