package io.seqbench.architectures.nn;

import io.seqbench.architectures.Graph;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayersTest {
    private static final double[] POINTS = {-120, -60, -53, -8, -1.5, -0.3, 0, 0.4, 2, 9, 53, 60, 120};

    static double gelu(double x) {
        return x / (1 + Math.exp(-Layers.GELU_SIGMOID_SCALE * x));
    }

    /** The graph GELU's gradient in float: finite everywhere (ND4J's own gelu op gives NaN above x ≈ 52). */
    @Test
    void geluGradientIsFiniteAndCorrectForLargeInputsInFloat() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.createFromArray(POINTS).castTo(DataType.FLOAT));
        Layers.gelu(new Graph(sd, 1, POINTS.length, DataType.FLOAT), x).sum().markAsLoss();
        INDArray grad = sd.calculateGradients(Map.of(), "x").get("x");
        for (int i = 0; i < POINTS.length; i++) {
            double p = POINTS[i];
            double numeric = (gelu(p + 1e-4) - gelu(p - 1e-4)) / 2e-4;
            double g = grad.getDouble(i);
            assertTrue(Double.isFinite(g), "d gelu/dx at " + p + " is " + g);
            assertEquals(numeric, g, 1e-4 * Math.max(1, Math.abs(numeric)), "d gelu/dx at " + p);
        }
    }

    @Test
    void eagerGeluMatchesTheFormula() {
        INDArray y = Layers.gelu(Nd4j.createFromArray(POINTS));
        for (int i = 0; i < POINTS.length; i++) {
            assertEquals(gelu(POINTS[i]), y.getDouble(i), 1e-12 * Math.max(1, Math.abs(POINTS[i])));
        }
    }
}
