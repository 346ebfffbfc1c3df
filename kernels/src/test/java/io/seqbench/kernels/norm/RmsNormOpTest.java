package io.seqbench.kernels.norm;

import io.seqbench.kernels.op.JavaOps;
import io.seqbench.kernels.testing.GradientCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RmsNormOpTest {
    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    @Test
    void forward_matchesTheFormulaFromPrimitives() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 4, 5).subi(0.5);
        INDArray gain = Nd4j.rand(DataType.DOUBLE, 5).addi(0.5);
        INDArray y = Nd4j.exec(new RmsNormOp(x, gain, 1e-5))[0];
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 4; t++) {
                INDArray row = x.slice(b).slice(t);
                double r = 1 / Math.sqrt(row.mul(row).meanNumber().doubleValue() + 1e-5);
                for (int j = 0; j < 5; j++) {
                    assertEquals(row.getDouble(j) * r * gain.getDouble(j), y.getDouble(b, t, j), 1e-12);
                }
            }
        }
    }

    @Test
    void gradients_inDouble_matchFiniteDifferences() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, 2, 3, 6).subi(0.5));
        SDVariable gain = sd.var("gain", Nd4j.rand(DataType.DOUBLE, 6).addi(0.5));
        SDVariable y = new RmsNormOp(sd, x, gain, 1e-5).outputVariable();
        SDVariable w = sd.constant(Nd4j.rand(DataType.DOUBLE, 2, 3, 6));
        sd.updateVariableNameAndReference(sd.math.tanh(y).mul(w).sum(), "loss");
        var result = GradientCheck.check(sd, Map.of(), "loss", List.of("x", "gain"));
        assertTrue(result.passed(), result.toString());
    }

    @Test
    void forward_gainOfTheWrongSize_namesBothShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Nd4j.exec(new RmsNormOp(
                Nd4j.zeros(DataType.FLOAT, 2, 4), Nd4j.ones(DataType.FLOAT, 3), 1e-5)));
        assertTrue(e.getMessage().contains("(4)") && e.getMessage().contains("[3]"), e.getMessage());
    }
}
