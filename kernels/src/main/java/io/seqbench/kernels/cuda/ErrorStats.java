package io.seqbench.kernels.cuda;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far a float32 result is from a double-precision reference.
 *
 * @param relMax     max|x − ref| / max|ref| (0 when both are 0)
 * @param rel2       ‖x − ref‖₂ / ‖ref‖₂
 * @param maxAbsErr  max|x − ref|
 * @param maxAbsRef  max|ref|
 * @param nonFinite  elements of x that are NaN or infinite (an unwritten, NaN-poisoned element counts here)
 */
public record ErrorStats(double relMax, double rel2, double maxAbsErr, double maxAbsRef, long nonFinite) {

    public static ErrorStats of(float[] x, double[] ref) {
        if (x.length != ref.length) {
            throw new IllegalArgumentException("lengths differ: " + x.length + " vs " + ref.length);
        }
        double maxErr = 0, maxRef = 0, se = 0, sr = 0;
        long bad = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                bad++;
                continue;
            }
            double e = Math.abs(x[i] - ref[i]);
            maxErr = Math.max(maxErr, e);
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
            se += e * e;
            sr += ref[i] * ref[i];
        }
        double relMax = maxRef == 0 ? (maxErr == 0 ? 0 : Double.POSITIVE_INFINITY) : maxErr / maxRef;
        double rel2 = sr == 0 ? (se == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(se / sr);
        return new ErrorStats(relMax, rel2, maxErr, maxRef, bad);
    }

    /** Within {@code tolerance} on both measures, and every element finite. */
    public boolean within(double tolerance) {
        return nonFinite == 0 && relMax <= tolerance && rel2 <= tolerance;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rel_max", relMax);
        m.put("rel_l2", rel2);
        m.put("max_abs_err", maxAbsErr);
        m.put("max_abs_ref", maxAbsRef);
        m.put("non_finite", nonFinite);
        return m;
    }
}
