package io.seqbench.kernels.embedding;

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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingOpTest {

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    @Test
    void eager_forward_picksRowsOfTheTable() {
        INDArray table = Nd4j.arange(12).castTo(DataType.FLOAT).reshape(4, 3);
        INDArray indices = Nd4j.createFromArray(new int[][]{{3, 0}, {1, 1}});
        INDArray out = Nd4j.exec(new EmbeddingOp(table, indices))[0];
        assertArrayEquals(new long[]{2, 2, 3}, out.shape());
        assertEquals(table.getRow(3), out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all()));
        assertEquals(table.getRow(1), out.slice(1).slice(1));
    }

    @Test
    void eager_backward_sumsGradientsOfRepeatedTokens() {
        INDArray table = Nd4j.zeros(DataType.DOUBLE, 4, 2);
        INDArray indices = Nd4j.createFromArray(new long[][]{{2, 2, 0}});
        INDArray gradOut = Nd4j.createFromArray(new double[][][]{{{1, 2}, {10, 20}, {100, 200}}});
        INDArray grad = Nd4j.exec(new EmbeddingBackwardOp(table, indices, gradOut))[0];
        INDArray expected = Nd4j.createFromArray(new double[][]{{100, 200}, {0, 0}, {11, 22}, {0, 0}});
        assertEquals(expected, grad);
    }

    @Test
    void forward_indexOutsideVocabulary_failsWithMessage() {
        INDArray table = Nd4j.zeros(DataType.FLOAT, 4, 2);
        INDArray indices = Nd4j.createFromArray(new int[]{1, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nd4j.exec(new EmbeddingOp(table, indices)));
        assertTrue(e.getMessage().contains("index 4") && e.getMessage().contains("[0, 4)"), e.getMessage());
    }

    @Test
    void graph_gradientCheckInDouble_withRepeatedIndices_passes() {
        SameDiff sd = SameDiff.create();
        SDVariable table = sd.var("table", Nd4j.rand(DataType.DOUBLE, 5, 3).subi(0.5));
        SDVariable tokens = sd.placeHolder("tokens", DataType.INT, 2, 4);
        SDVariable emb = EmbeddingOp.embed(sd, "emb", table, tokens);
        // a non-linear loss so every row's gradient depends on its value
        SDVariable weights = sd.constant("w", Nd4j.rand(DataType.DOUBLE, 2, 4, 3));
        SDVariable loss = sd.math.tanh(emb).mul(weights).sum().add(emb.mul(emb).sum().mul(0.3));
        sd.updateVariableNameAndReference(loss, "loss");
        // token 1 occurs three times, token 4 twice, token 2 never
        INDArray ids = Nd4j.createFromArray(new int[][]{{1, 3, 1, 0}, {4, 1, 4, 3}});
        GradientCheck.Result result = GradientCheck.check(sd, Map.of("tokens", ids), "loss", List.of("table"));
        assertTrue(result.passed(), result.toString());
        assertEquals(15, result.checked());
        INDArray grad = sd.calculateGradients(Map.of("tokens", ids), List.of("table")).get("table");
        assertEquals(0.0, grad.getRow(2).norm2Number().doubleValue(), 0.0, "an unused token has zero gradient");
    }
}
