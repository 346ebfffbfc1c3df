package io.seqbench.architectures.s4;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The HiPPO-LegS state space (Gu et al., 2020; the default A of S4) and the diagonalisation of its normal part,
 * from which S4D-LegS takes its diagonal A and its B (Gu et al., 2022, "On the Parameterization and
 * Initialization of Diagonal State Space Models").
 *
 * <p>With p_n = √(2n+1), n = 0 … N−1:
 * <pre>
 *   A_nk = −p_n p_k  (n &gt; k),   −(n+1)  (n = k),   0  (n &lt; k)          B_n = p_n
 *   A + ½ p pᵀ = S − ½ I,   S skew-symmetric                          (normal plus low rank, rank 1)
 *   S = Σ_k 2 Re(iω_k v_k v_kᴴ),   ω_k &gt; 0                             (eigenpairs ±iω_k, v_k and conj(v_k))
 * </pre>
 * so the normal part A_N = S − ½ I has the eigenvalues λ_k = −½ ± iω_k. S4D-LegS keeps the N/2 eigenvalues with
 * positive imaginary part and B̃_k = v_kᴴ B; the dropped conjugates are accounted for by taking 2·Re of the output.
 *
 * <p>The eigenpairs are computed without complex linear algebra: x = Re-part directions come from the symmetric
 * matrix SᵀS (eigenvalues ω_k², each twice; cyclic Jacobi), and for a unit x in the ω_k² eigenspace,
 * y = −Sx/ω_k is orthogonal to it with |y| = 1 and v_k = (x + iy)/√2 satisfies S v_k = iω_k v_k.
 */
public final class HippoLegS {
    private HippoLegS() {
    }

    /** The N×N HiPPO-LegS matrix, built as −(lower triangle of p pᵀ, diagonal included) + diag(n). */
    public static double[][] matrix(int n) {
        requirePositive(n);
        double[] p = p(n);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k <= i; k++) {
                a[i][k] = -p[i] * p[k];
            }
            a[i][i] += i;      // −(2i+1) + i = −(i+1)
        }
        return a;
    }

    /** The HiPPO-LegS input vector B_n = √(2n+1). */
    public static double[] inputVector(int n) {
        requirePositive(n);
        return p(n);
    }

    /** The normal part A + ½ p pᵀ (= S − ½ I). */
    public static double[][] normalPart(int n) {
        double[][] a = matrix(n);
        double[] p = p(n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                a[i][k] += 0.5 * p[i] * p[k];
            }
        }
        return a;
    }

    /**
     * The N/2 eigenpairs of the normal part with positive imaginary part, sorted by it.
     *
     * @param lambdaRe (N/2) real parts (all −½)
     * @param lambdaIm (N/2) imaginary parts ω_k &gt; 0, ascending
     * @param vRe      (N/2, N) real parts of the unit eigenvectors, one per row
     * @param vIm      (N/2, N) imaginary parts
     */
    public record Diagonalization(double[] lambdaRe, double[] lambdaIm, double[][] vRe, double[][] vIm) {

        /** B̃ = Vᴴ B for a real input vector b (N): returns {re (N/2), im (N/2)}. */
        public double[][] project(double[] b) {
            int modes = lambdaRe.length;
            double[] re = new double[modes];
            double[] im = new double[modes];
            for (int k = 0; k < modes; k++) {
                for (int j = 0; j < b.length; j++) {
                    re[k] += vRe[k][j] * b[j];
                    im[k] -= vIm[k][j] * b[j];      // conjugate transpose
                }
            }
            return new double[][]{re, im};
        }
    }

    /**
     * Diagonalises the normal part of the N×N HiPPO-LegS matrix.
     *
     * @param n the state size N, even and ≥ 2
     * @throws IllegalArgumentException for odd N; IllegalStateException if an eigenvalue is zero
     */
    public static Diagonalization diagonalizeNormalPart(int n) {
        if (n < 2 || n % 2 != 0) {
            throw new IllegalArgumentException("state: must be an even number ≥ 2, got " + n);
        }
        double[][] normal = normalPart(n);
        double shift = 0;
        for (int i = 0; i < n; i++) {
            shift += normal[i][i];
        }
        shift /= n;                                            // −½
        double[][] s = new double[n][n];                       // S = A_N − shift·I, skew-symmetric
        for (int i = 0; i < n; i++) {
            s[i] = normal[i].clone();
            s[i][i] -= shift;
        }
        double[][] sts = new double[n][n];                     // SᵀS, symmetric positive semi-definite
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += s[k][i] * s[k][j];
                }
                sts[i][j] = sum;
                sts[j][i] = sum;
            }
        }
        double[][] vectors = new double[n][n];                 // columns are eigenvectors
        double[] values = symmetricEigen(sts, vectors);
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        int modes = n / 2;
        double[] lambdaRe = new double[modes];
        double[] lambdaIm = new double[modes];
        double[][] vRe = new double[modes][];
        double[][] vIm = new double[modes][n];
        for (int k = 0; k < modes; k++) {
            int col = order[2 * k + 1];                        // either vector of the doubled eigenvalue
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = vectors[i][col];
            }
            double[] sx = multiply(s, x);
            double omega = Math.sqrt(dot(sx, sx));             // |Sx| = ω for a unit x
            if (omega < 1e-9) {
                throw new IllegalStateException("HiPPO-LegS normal part of size " + n + " has a zero eigenvalue");
            }
            double norm = 1 / Math.sqrt(2);
            vRe[k] = new double[n];
            for (int i = 0; i < n; i++) {
                vRe[k][i] = norm * x[i];
                vIm[k][i] = -norm * sx[i] / omega;              // y = −Sx/ω
            }
            lambdaRe[k] = shift;
            lambdaIm[k] = omega;
            fixPhase(vRe[k], vIm[k], inputVector(n));
        }
        return new Diagonalization(lambdaRe, lambdaIm, vRe, vIm);
    }

    /**
     * An eigenvector is defined up to a phase e^{iφ}; choose the one that makes vᴴB real and ≥ 0, so the result
     * does not depend on the eigen-solver's choice of basis inside a doubled eigenspace.
     */
    private static void fixPhase(double[] re, double[] im, double[] b) {
        double pr = 0;      // vᴴB
        double pi = 0;
        for (int j = 0; j < b.length; j++) {
            pr += re[j] * b[j];
            pi -= im[j] * b[j];
        }
        double abs = Math.hypot(pr, pi);
        if (abs == 0) {
            return;
        }
        double c = pr / abs;      // v ← v·e^{iφ}, e^{iφ} = vᴴB / |vᴴB|
        double s = pi / abs;
        for (int j = 0; j < re.length; j++) {
            double r = re[j] * c - im[j] * s;
            im[j] = re[j] * s + im[j] * c;
            re[j] = r;
        }
    }

    /**
     * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations (Golub &amp; Van Loan, §8.5).
     *
     * @param a       symmetric (n, n); destroyed
     * @param vectors (n, n) receives the eigenvectors as columns
     * @return the eigenvalues, in the order of the columns
     */
    static double[] symmetricEigen(double[][] a, double[][] vectors) {
        int n = a.length;
        for (int i = 0; i < n; i++) {
            Arrays.fill(vectors[i], 0.0);
            vectors[i][i] = 1.0;
        }
        double scale = 0;
        for (double[] row : a) {
            for (double v : row) {
                scale += v * v;
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-30 * scale) {
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = a[i][i];
                }
                return values;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double sn = t * c;
                    for (int k = 0; k < n; k++) {              // A ← A·J
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - sn * akq;
                        a[k][q] = sn * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {              // A ← Jᵀ·A
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - sn * aqk;
                        a[q][k] = sn * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {              // V ← V·J
                        double vkp = vectors[k][p];
                        double vkq = vectors[k][q];
                        vectors[k][p] = c * vkp - sn * vkq;
                        vectors[k][q] = sn * vkp + c * vkq;
                    }
                }
            }
        }
        throw new IllegalStateException("Jacobi eigen-decomposition did not converge in 100 sweeps");
    }

    private static double[] p(int n) {
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.sqrt(2.0 * i + 1);
        }
        return p;
    }

    private static double[] multiply(double[][] m, double[] x) {
        double[] y = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            y[i] = dot(m[i], x);
        }
        return y;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void requirePositive(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("HiPPO size must be ≥ 1, got " + n);
        }
    }
}
