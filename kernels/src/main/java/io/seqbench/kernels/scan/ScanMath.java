package io.seqbench.kernels.scan;

/**
 * Scalar float versions of the elementary functions the fused scan needs: a fast exponential, softplus,
 * sigmoid and SiLU. {@link VectorRowKernel} evaluates the same formulas lane by lane, so the scalar fallback and
 * the vector kernel agree to rounding.
 *
 * <p><b>exp</b>: x = k·ln2 + r with k = round(x·log2 e) and |r| ≤ ln2/2 (Cody–Waite split of ln2, so r is exact
 * to a few ulps); exp(r) by its degree-6 Taylor polynomial in Horner form with FMAs; 2^k assembled in the exponent
 * bits. Measured maximum relative error 2.3·10⁻⁷ over [−87, 88] (test {@code ScanMathTest}); inputs are clamped
 * to [−87.34, 88.72], so results below 1.2·10⁻³⁸ round up to that value instead of to zero or a subnormal, and
 * results above 3.4·10³⁸ saturate instead of overflowing to infinity. NaN propagates.
 *
 * <p><b>log1p</b> on [0, 1] (all softplus needs): log(1 + y) = 2·atanh(s) with s = y / (2 + y) ∈ [0, 1/3], by
 * its odd series to s¹¹; relative error below 2·10⁻⁷, with no cancellation for tiny y.
 */
final class ScanMath {
    static final float LOG2E = 1.44269504088896341f;
    /** ln2 split so that k·LN2_HI is exact for |k| ≤ 2^11. */
    static final float LN2_HI = 0.693145751953125f;
    static final float LN2_LO = 1.428606765330187e-06f;
    /** 1.5·2^23: adding it rounds a float of magnitude below 2^22 to an integer held in the low mantissa bits. */
    static final float ROUND_MAGIC = 12582912f;
    static final int EXP_BIAS_MINUS_MAGIC = 127 - 0x4B400000;
    static final float EXP_MIN = -87.33654f;
    static final float EXP_MAX = 88.72283f;
    static final float P2 = 0.5f;
    static final float P3 = 1.6666667e-1f;
    static final float P4 = 4.1666667e-2f;
    static final float P5 = 8.3333333e-3f;
    static final float P6 = 1.3888889e-3f;
    // log1p series 2·atanh(s) = 2s·(1 + s²/3 + s⁴/5 + …)
    static final float L3 = 1f / 3, L5 = 1f / 5, L7 = 1f / 7, L9 = 1f / 9, L11 = 1f / 11;

    private ScanMath() {
    }

    /** e^x with relative error ≤ 2.3·10⁻⁷ (see the class documentation for the range). */
    static float exp(float x) {
        if (x < EXP_MIN) {
            x = EXP_MIN;
        }
        if (x > EXP_MAX) {
            x = EXP_MAX;
        }
        float t = Math.fma(x, LOG2E, ROUND_MAGIC);
        float k = t - ROUND_MAGIC;
        float r = Math.fma(k, -LN2_HI, x);
        r = Math.fma(k, -LN2_LO, r);
        float p = Math.fma(r, P6, P5);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(t) + EXP_BIAS_MINUS_MAGIC) << 23);
    }

    /** log(1 + y) for y in [0, 1]. */
    static float log1pUnit(float y) {
        float s = y / (2f + y);
        float s2 = s * s;
        float p = Math.fma(s2, L11, L9);
        p = Math.fma(p, s2, L7);
        p = Math.fma(p, s2, L5);
        p = Math.fma(p, s2, L3);
        p = Math.fma(p, s2, 1f);
        return 2f * s * p;
    }

    /** softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^−|x|). */
    static float softplus(float x) {
        return Math.max(x, 0f) + log1pUnit(exp(-Math.abs(x)));
    }

    /** σ(x) = 1 / (1 + e^−x). */
    static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }
}
