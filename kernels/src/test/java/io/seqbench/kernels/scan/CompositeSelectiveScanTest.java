package io.seqbench.kernels.scan;

import io.seqbench.kernels.op.JavaOps;
import io.seqbench.kernels.scan.ScanFixtures.Options;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompositeSelectiveScanTest {

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new ScanShape(2, 4, 9, 3, 2), Options.ALL),
                Arguments.of(new ScanShape(1, 3, 1, 4, 0), Options.ALL),
                Arguments.of(new ScanShape(2, 2, 7, 2, 1), Options.NONE),
                Arguments.of(new ScanShape(1, 4, 6, 5, 0), new Options(true, false, false, true)),
                Arguments.of(new ScanShape(2, 2, 5, 1, 0), new Options(false, true, true, false)));
    }

    /** In double the composite agrees with the reference to rounding: they are independent implementations. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void forwardAndBackward_double_matchReference(ScanShape s, Options o) {
        DoubleScanInputs x = ScanFixtures.randomDouble(s, o, 17);
        ScanArrays in = SelectiveScanOpTest.arrays(x);
        double[] dout = ScanFixtures.normal(new java.util.SplittableRandom(2), (int) s.sequenceElements());
        CompositeSelectiveScan.Result r = CompositeSelectiveScan.forward(in, true);
        DoubleScanOutputs expected = SelectiveScanReference.forward(x, true);
        assertArrayEquals(expected.out(), r.out().data().asDouble(), 1e-12);
        assertArrayEquals(expected.lastState(), r.lastState().data().asDouble(), 1e-12);

        CompositeSelectiveScan.Gradients g = CompositeSelectiveScan.backward(in,
                SelectiveScanOpTest.arr(dout, s.batch(), s.channels(), s.length()));
        DoubleScanGradients eg = SelectiveScanReference.backward(x, dout, null);
        close("du", eg.du(), g.du());
        close("ddelta", eg.ddelta(), g.ddelta());
        close("dA", eg.da(), g.da());
        close("dB", eg.db(), g.db());
        close("dC", eg.dc(), g.dc());
        close("dD", eg.dd(), g.dd());
        close("dz", eg.dz(), g.dz());
        close("ddelta_bias", eg.ddeltaBias(), g.ddeltaBias());

        CompositeSelectiveScan.Gradients both = CompositeSelectiveScan.forwardBackward(in,
                SelectiveScanOpTest.arr(dout, s.batch(), s.channels(), s.length()));
        close("out (forwardBackward)", expected.out(), both.out());
        close("dA (forwardBackward)", eg.da(), both.da());
        close("dB (forwardBackward)", eg.db(), both.db());
    }

    private static void close(String name, double[] expected, INDArray actual) {
        if (expected == null) {
            assertNull(actual, name);
            return;
        }
        assertArrayEquals(expected, actual.dup('c').data().asDouble(), 1e-11, name);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void forward_float_matchesReferenceAndCountsTheStateTensors(ScanShape s, Options o) {
        ScanInputs x = ScanFixtures.randomFloat(s, o, 19);
        CompositeSelectiveScan.Result r = CompositeSelectiveScan.forward(SelectiveScanOpTest.arrays(x), false);
        FusedSelectiveScanTest.assertClose("out", r.out().data().asFloat(),
                SelectiveScanReference.forward(x, false).out());
        // Ā, B̄u and the states are (batch, channels, length, state) each, and all three are alive at once
        long tensor = s.stateUpdates() * Float.BYTES;
        assertTrue(r.peakBytes() >= 3 * tensor, "peak " + r.peakBytes() + " < 3 × " + tensor);
        assertTrue(r.allocatedBytes() >= r.peakBytes());
    }
}
