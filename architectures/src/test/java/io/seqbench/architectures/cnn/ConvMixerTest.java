package io.seqbench.architectures.cnn;

import io.seqbench.architectures.Graph;
import io.seqbench.architectures.MixerContext;
import io.seqbench.architectures.MixerState;
import io.seqbench.architectures.Parameters;
import io.seqbench.kernels.op.JavaOps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvMixerTest {
    private static final int D = 3;

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    static Stream<ConvMixer.Config> configs() {
        return Stream.of(ConvMixer.Config.DEFAULTS, new ConvMixer.Config(1, 3, List.of(1, 2)),
                new ConvMixer.Config(1, 2, List.of(3)));
    }

    /** One mixer alone in a graph over (1, length, D) inputs, in double precision. */
    private record Standalone(ConvMixer mixer, SameDiff sd, SDVariable out) {
        static Standalone of(ConvMixer.Config config, int length) {
            Parameters p = new Parameters(7, DataType.DOUBLE);
            ConvMixer mixer = new ConvMixer(config, new MixerContext(D, 0, 2, length, p));
            SameDiff sd = SameDiff.create();
            p.all().forEach(sd::var);
            SDVariable x = sd.placeHolder("x", DataType.DOUBLE, 1, length, D);
            return new Standalone(mixer, sd, mixer.forward(new Graph(sd, 1, length, DataType.DOUBLE), x));
        }

        INDArray forward(INDArray x) {
            return sd.output(Map.of("x", x), out.name()).get(out.name());
        }

        INDArray stepped(INDArray x) {
            MixerState state = mixer.initialState(1);
            INDArray y = null;
            for (int t = 0; t < x.size(1); t++) {
                y = mixer.step(state, x.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).dup());
            }
            return y;   // the output at the last position
        }
    }

    @Test
    void receptiveField_defaults_is46() {
        assertEquals(46, ConvMixer.receptiveField(ConvMixer.Config.DEFAULTS));   // 1 + 3·(1 + 2 + 4 + 8)
        assertEquals(7, ConvMixer.receptiveField(new ConvMixer.Config(1, 3, List.of(1, 2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void forwardAndStep_inputReceptiveFieldMinusOneBack_changesOutput_oneFurther_doesNot(ConvMixer.Config config) {
        int rf = ConvMixer.receptiveField(config);
        int length = rf + 2;
        int t = length - 1;
        Standalone m = Standalone.of(config, length);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, length, D).subi(0.5);
        INDArray base = m.forward(x).get(NDArrayIndex.point(0), NDArrayIndex.point(t), NDArrayIndex.all()).dup();
        INDArray baseStepped = m.stepped(x);
        assertEquals(0.0, baseStepped.sub(base).amaxNumber().doubleValue(), 1e-12, "step equals forward");
        // dilated filters have gaps (kernel 2, dilation 3 sees t and t − 3 only): the edges are what is exact
        for (int back : new int[]{0, rf - 1, rf, rf + 1}) {
            INDArray changed = x.dup();
            changed.putScalar(new long[]{0, t - back, 1}, x.getDouble(0, t - back, 1) + 1.0);
            INDArray y = m.forward(changed).get(NDArrayIndex.point(0), NDArrayIndex.point(t), NDArrayIndex.all());
            double diff = y.sub(base).amaxNumber().doubleValue();
            double diffStepped = m.stepped(changed).sub(baseStepped).amaxNumber().doubleValue();
            if (back < rf) {
                assertTrue(diff > 1e-9, "input " + back + " positions back must reach the output, diff " + diff);
                assertTrue(diffStepped > 1e-9, "step: input " + back + " back must reach the output");
            } else {
                assertEquals(0.0, diff, 0.0, "input " + back + " positions back is outside the receptive field");
                assertEquals(0.0, diffStepped, 0.0, "step: input " + back + " back is outside the receptive field");
            }
        }
        assertEquals((long) config.expand() * D * (rf - 1), m.mixer().stateSize(1 << 14));
    }

    @Test
    void construction_parameterCount_is3dEPlusFiltersAndBiases() {
        Parameters p = new Parameters(1, DataType.FLOAT);
        new ConvMixer(ConvMixer.Config.DEFAULTS, new MixerContext(D, 0, 1, 16, p));
        long e = 2L * D;
        assertEquals(3 * D * e + 4 * (4 + 1) * e, p.count("layers.0.mixer."));
    }

    @Test
    void config_badValues_failNamingTheField() {
        assertEquals("expand", field(() -> new ConvMixer.Config(0, 4, List.of(1))));
        assertEquals("kernel_size", field(() -> new ConvMixer.Config(1, 1, List.of(1))));
        assertEquals("dilations", field(() -> new ConvMixer.Config(1, 4, List.of())));
        assertEquals("dilations", field(() -> new ConvMixer.Config(1, 4, List.of(1, 0))));
        assertEquals("dilations", field(() -> new ConvMixer.Config(1, 4, Arrays.asList(1, null))));
    }

    private static String field(Runnable construct) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::run);
        return e.getMessage().substring(0, e.getMessage().indexOf(':'));
    }
}
