package io.seqbench.architectures.rnn;

import io.seqbench.architectures.Graph;
import io.seqbench.architectures.MixerContext;
import io.seqbench.architectures.MixerState;
import io.seqbench.architectures.Parameters;
import io.seqbench.kernels.op.JavaOps;
import io.seqbench.kernels.rnn.GruReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GruMixerTest {
    private static final int D = 5;
    private static final int BATCH = 3;
    private static final int LENGTH = 6;

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    private static GruMixer mixer(Parameters p, double updateBias) {
        return new GruMixer(new GruMixer.Config(updateBias), new MixerContext(D, 0, 1, LENGTH, p));
    }

    /** The reference on x W + b_i, from the mixer's own parameters. */
    private static INDArray reference(Parameters p, INDArray x) {
        String prefix = "layers.0.mixer.";
        INDArray xp = x.reshape(BATCH * LENGTH, D).mmul(p.get(prefix + "w")).addiRowVector(p.get(prefix + "b_i"))
                .reshape(BATCH, LENGTH, 3 * D);
        double[][][] xs = new double[BATCH][][];
        for (int b = 0; b < BATCH; b++) {
            xs[b] = xp.slice(b).toDoubleMatrix();
        }
        return Nd4j.createFromArray(GruReference.forward(xs, p.get(prefix + "u").toDoubleMatrix(),
                p.get(prefix + "b_h").toDoubleVector()));
    }

    @Test
    void forwardAndStep_matchTheSequentialReference() {
        Parameters p = new Parameters(3, DataType.DOUBLE);
        GruMixer gru = mixer(p, 0.5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, BATCH, LENGTH, D).subi(0.5).muli(3);
        INDArray expected = reference(p, x);

        SameDiff sd = SameDiff.create();
        p.all().forEach(sd::var);
        SDVariable in = sd.placeHolder("x", DataType.DOUBLE, BATCH, LENGTH, D);
        SDVariable out = gru.forward(new Graph(sd, BATCH, LENGTH, DataType.DOUBLE), in);
        INDArray parallel = sd.output(Map.of("x", x), out.name()).get(out.name());
        assertEquals(0.0, parallel.sub(expected).amaxNumber().doubleValue(), 1e-12, "forward vs reference");

        MixerState state = gru.initialState(BATCH);
        for (int t = 0; t < LENGTH; t++) {
            INDArray column = x.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).dup();
            INDArray stepped = gru.step(state, column);
            INDArray want = expected.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all());
            assertEquals(0.0, stepped.sub(want).amaxNumber().doubleValue(), 1e-12, "step at position " + t);
        }
        assertEquals(D, state.elementsPerSequence());
    }

    @Test
    void construction_updateBias_setsOnlyTheUpdateGateBlockOfTheRecurrentBias() {
        Parameters p = new Parameters(1, DataType.FLOAT);
        mixer(p, 2.5);
        INDArray bh = p.get("layers.0.mixer.b_h");
        assertEquals(0.0, bh.get(NDArrayIndex.interval(0, D)).amaxNumber().doubleValue(), 0.0, "r block");
        assertEquals(2.5, bh.get(NDArrayIndex.interval(D, 2 * D)).minNumber().doubleValue(), 0.0, "z block");
        assertEquals(2.5, bh.get(NDArrayIndex.interval(D, 2 * D)).maxNumber().doubleValue(), 0.0, "z block");
        assertEquals(0.0, bh.get(NDArrayIndex.interval(2 * D, 3 * D)).amaxNumber().doubleValue(), 0.0, "n block");
        assertEquals(6L * D * D + 6L * D, p.count("layers.0.mixer."), "6d² + 6d parameters");
    }

    @Test
    void config_nonFiniteUpdateBias_failsNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GruMixer.Config(Double.NaN));
        assertTrue(e.getMessage().startsWith("update_bias:"), e.getMessage());
    }
}
