package io.seqbench.architectures.s4;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HippoLegSTest {

    /** The closed form of the S4 paper: −√(2n+1)√(2k+1) below the diagonal, −(n+1) on it, 0 above. */
    static double closedForm(int n, int k) {
        if (n > k) {
            return -Math.sqrt(2 * n + 1) * Math.sqrt(2 * k + 1);
        }
        return n == k ? -(n + 1) : 0;
    }

    @Test
    void matrix_matchesClosedForm() {
        for (int size : new int[]{1, 2, 7, 64}) {
            double[][] a = HippoLegS.matrix(size);
            for (int n = 0; n < size; n++) {
                for (int k = 0; k < size; k++) {
                    assertEquals(closedForm(n, k), a[n][k], 1e-12, "A[" + n + "][" + k + "] at N = " + size);
                }
            }
        }
        double[] b = HippoLegS.inputVector(5);
        assertEquals(3.0, b[4], 1e-15);
        assertEquals(1.0, b[0], 0.0);
    }

    @Test
    void matrix_smallCase_isTheKnownThreeByThree() {
        double r3 = Math.sqrt(3);
        double r5 = Math.sqrt(5);
        double r15 = Math.sqrt(15);
        double[][] expected = {{-1, 0, 0}, {-r3, -2, 0}, {-r5, -r15, -3}};
        double[][] a = HippoLegS.matrix(3);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(expected[i][j], a[i][j], 1e-14);
            }
        }
    }

    @Test
    void normalPart_isSkewSymmetricMinusHalfIdentity() {
        double[][] m = HippoLegS.normalPart(16);
        for (int i = 0; i < 16; i++) {
            assertEquals(-0.5, m[i][i], 1e-12);
            for (int j = 0; j < 16; j++) {
                if (i != j) {
                    assertEquals(-m[j][i], m[i][j], 1e-12, "(" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void diagonalization_reconstructsNormalPart_fromHalfTheEigenpairs() {
        for (int n : new int[]{2, 8, 64}) {
            HippoLegS.Diagonalization d = HippoLegS.diagonalizeNormalPart(n);
            double[][] m = HippoLegS.normalPart(n);
            double scale = 0;
            for (double[] row : m) {
                for (double v : row) {
                    scale = Math.max(scale, Math.abs(v));
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;          // Σ_k 2 Re(λ_k v_k[i] conj(v_k[j]))
                    for (int k = 0; k < n / 2; k++) {
                        double pr = d.vRe()[k][i] * d.vRe()[k][j] + d.vIm()[k][i] * d.vIm()[k][j];
                        double pi = d.vIm()[k][i] * d.vRe()[k][j] - d.vRe()[k][i] * d.vIm()[k][j];
                        sum += 2 * (d.lambdaRe()[k] * pr - d.lambdaIm()[k] * pi);
                    }
                    assertEquals(m[i][j], sum, 1e-9 * scale, "N = " + n + " entry (" + i + ", " + j + ")");
                }
            }
            for (int k = 0; k < n / 2; k++) {
                assertEquals(-0.5, d.lambdaRe()[k], 1e-12);
                assertTrue(d.lambdaIm()[k] > 0, "positive imaginary part");
                assertTrue(k == 0 || d.lambdaIm()[k] > d.lambdaIm()[k - 1], "distinct and ascending");
            }
        }
    }

    @Test
    void diagonalization_frequencies_satisfyTraceIdentity() {
        // S = A_N + ½I is skew-symmetric with eigenvalues ±iω_k, so ‖S‖_F² = −tr(S²) = 2 Σ ω_k²
        int n = 32;
        double[][] m = HippoLegS.normalPart(n);
        double frobenius = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = m[i][j] + (i == j ? 0.5 : 0);
                frobenius += s * s;
            }
        }
        double sum = 0;
        for (double w : HippoLegS.diagonalizeNormalPart(n).lambdaIm()) {
            sum += w * w;
        }
        assertEquals(frobenius, 2 * sum, 1e-9 * frobenius);
    }

    @Test
    void diagonalization_oddSize_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HippoLegS.diagonalizeNormalPart(7));
        assertTrue(e.getMessage().startsWith("state:"), e.getMessage());
    }

    @Test
    void diagonalization_phases_makeProjectedInputRealAndNonNegative() {
        HippoLegS.Diagonalization d = HippoLegS.diagonalizeNormalPart(16);
        double[][] b = d.project(HippoLegS.inputVector(16));
        for (int k = 0; k < 8; k++) {
            assertEquals(0.0, b[1][k], 1e-12);
            assertTrue(b[0][k] > 0);
        }
    }
}
