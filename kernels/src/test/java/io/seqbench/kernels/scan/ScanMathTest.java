package io.seqbench.kernels.scan;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanMathTest {

    @Test
    void exp_overTheNormalRange_relativeErrorBelow2e6() {
        double worst = 0;
        for (int i = 0; i <= 2_000_000; i++) {
            float x = -87f + 175f * i / 2_000_000f;
            double exact = Math.exp(x);
            worst = Math.max(worst, Math.abs(ScanMath.exp(x) - exact) / exact);
        }
        assertTrue(worst <= 2e-6, "max relative error " + worst);
        assertTrue(worst > 0, "an approximation cannot be exact everywhere");
    }

    @Test
    void exp_extremes_clampAndPropagateNaN() {
        assertEquals(1f, ScanMath.exp(0f));
        assertTrue(ScanMath.exp(-1000f) > 0 && ScanMath.exp(-1000f) < 1.2e-38f);
        assertTrue(ScanMath.exp(1000f) > 3e38f);
        assertTrue(Float.isNaN(ScanMath.exp(Float.NaN)));
    }

    @Test
    void softplusAndSigmoid_matchDoublePrecision() {
        double worstSp = 0;
        double worstSg = 0;
        for (int i = 0; i <= 200_000; i++) {
            float x = -30f + 60f * i / 200_000f;
            double sp = SelectiveScanReference.softplus(x);
            worstSp = Math.max(worstSp, Math.abs(ScanMath.softplus(x) - sp) / sp);
            double sg = SelectiveScanReference.sigmoid(x);
            worstSg = Math.max(worstSg, Math.abs(ScanMath.sigmoid(x) - sg) / sg);
        }
        assertTrue(worstSp < 1e-6, "softplus max relative error " + worstSp);
        assertTrue(worstSg < 1e-6, "sigmoid max relative error " + worstSg);
    }

    @Test
    void vectorExp_equalsScalarExpLaneByLane() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[lanes * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = -90f + 180f * i / x.length;
        }
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += lanes) {
            VectorRowKernel.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(y, i);
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(ScanMath.exp(x[i])), Float.floatToIntBits(y[i]), "x = " + x[i]);
        }
    }
}
