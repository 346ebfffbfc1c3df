package io.seqbench.kernels.scan;

import io.seqbench.kernels.scan.ScanFixtures.Options;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectiveScanReferenceTest {

    @Test
    void forward_oneStateTwoSteps_matchesHandComputedValues() {
        // batch 1, channel 1, length 2, state 1: h0 = Δ0 B0 u0; h1 = e^{Δ1 A} h0 + Δ1 B1 u1
        ScanShape s = new ScanShape(1, 1, 2, 1, 0);
        double dt0 = 0.5, dt1 = 0.25, a = -2, b0 = 3, b1 = -1, c0 = 2, c1 = 0.5, u0 = 1, u1 = 4, dSkip = 0.1;
        double z0 = 0.3, z1 = -1.2;
        DoubleScanInputs in = new DoubleScanInputs(s, new double[]{u0, u1}, new double[]{dt0, dt1}, new double[]{a},
                new double[]{b0, b1}, new double[]{c0, c1}, new double[]{dSkip}, new double[]{z0, z1}, null, false);
        double h0 = dt0 * b0 * u0;
        double h1 = Math.exp(dt1 * a) * h0 + dt1 * b1 * u1;
        double silu0 = z0 / (1 + Math.exp(-z0)), silu1 = z1 / (1 + Math.exp(-z1));
        DoubleScanOutputs out = SelectiveScanReference.forward(in, true);
        assertArrayEquals(new double[]{(c0 * h0 + dSkip * u0) * silu0, (c1 * h1 + dSkip * u1) * silu1}, out.out(),
                1e-15);
        assertArrayEquals(new double[]{h1}, out.lastState(), 1e-15);
    }

    @Test
    void forward_softplusAndBias_appliesSoftplusAfterBias() {
        ScanShape s = new ScanShape(1, 1, 1, 1, 0);
        double raw = -0.7, bias = 0.2;
        DoubleScanInputs in = new DoubleScanInputs(s, new double[]{2}, new double[]{raw}, new double[]{-1},
                new double[]{1.5}, new double[]{1}, null, null, new double[]{bias}, true);
        double dt = Math.log(1 + Math.exp(raw + bias));
        assertEquals(dt * 1.5 * 2, SelectiveScanReference.forward(in, false).out()[0], 1e-15);
        assertNull(SelectiveScanReference.forward(in, false).lastState());
    }

    @Test
    void forward_groups_channelReadsItsGroup() {
        // 4 channels, 2 groups: channels 0,1 read group 0; channels 2,3 read group 1
        ScanShape grouped = new ScanShape(1, 4, 3, 2, 2);
        DoubleScanInputs in = ScanFixtures.randomDouble(grouped, Options.NONE, 5);
        double[] out = SelectiveScanReference.forward(in, false).out();
        for (int d = 0; d < 4; d++) {
            int g = d / 2;
            ScanShape single = new ScanShape(1, 1, 3, 2, 0);
            double[] bg = java.util.Arrays.copyOfRange(in.b(), g * 6, g * 6 + 6);
            double[] cg = java.util.Arrays.copyOfRange(in.c(), g * 6, g * 6 + 6);
            DoubleScanInputs one = new DoubleScanInputs(single, java.util.Arrays.copyOfRange(in.u(), d * 3, d * 3 + 3),
                    java.util.Arrays.copyOfRange(in.delta(), d * 3, d * 3 + 3),
                    java.util.Arrays.copyOfRange(in.a(), d * 2, d * 2 + 2), bg, cg, null, null, null, false);
            assertArrayEquals(SelectiveScanReference.forward(one, false).out(),
                    java.util.Arrays.copyOfRange(out, d * 3, d * 3 + 3), 1e-15, "channel " + d);
        }
    }

    @Test
    void backward_doutOfWrongSize_throwsWithSizes() {
        DoubleScanInputs in = ScanFixtures.randomDouble(new ScanShape(1, 2, 3, 1, 0), Options.NONE, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SelectiveScanReference.backward(in, new double[5], null));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("6"), e.getMessage());
    }

    static Stream<Arguments> finiteDifferenceCases() {
        return Stream.of(
                Arguments.of(new ScanShape(2, 3, 5, 4, 0), Options.ALL),
                Arguments.of(new ScanShape(1, 4, 7, 3, 2), Options.ALL),
                Arguments.of(new ScanShape(2, 2, 6, 2, 1), Options.NONE),
                Arguments.of(new ScanShape(1, 2, 1, 5, 0), new Options(true, false, true, false)),
                Arguments.of(new ScanShape(1, 2, 4, 2, 0), new Options(false, true, false, true)));
    }

    /** Every analytic gradient of the reference equals a central finite difference of its forward pass. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("finiteDifferenceCases")
    void backward_everyInput_matchesFiniteDifferences(ScanShape s, Options o) {
        DoubleScanInputs in = ScanFixtures.randomDouble(s, o, 11);
        SplittableRandom r = new SplittableRandom(3);
        double[] dout = ScanFixtures.normal(r, (int) s.sequenceElements());
        double[] dLast = ScanFixtures.normal(r, s.batch() * s.channels() * s.state());
        DoubleScanGradients g = SelectiveScanReference.backward(in, dout, dLast);

        List<String> failures = new ArrayList<>();
        int checked = 0;
        checked += check("u", in.u(), g.du(), in, dout, dLast, failures);
        checked += check("delta", in.delta(), g.ddelta(), in, dout, dLast, failures);
        checked += check("A", in.a(), g.da(), in, dout, dLast, failures);
        checked += check("B", in.b(), g.db(), in, dout, dLast, failures);
        checked += check("C", in.c(), g.dc(), in, dout, dLast, failures);
        checked += check("D", in.d(), g.dd(), in, dout, dLast, failures);
        checked += check("z", in.z(), g.dz(), in, dout, dLast, failures);
        checked += check("delta_bias", in.deltaBias(), g.ddeltaBias(), in, dout, dLast, failures);
        assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " mismatches: " + failures);
        assertTrue(checked > 20, "checked " + checked);
        assertEquals(o.withD(), g.dd() != null);
        assertEquals(o.withZ(), g.dz() != null);
        assertEquals(o.withDeltaBias(), g.ddeltaBias() != null);
    }

    private static int check(String name, double[] values, double[] grad, DoubleScanInputs in, double[] dout,
                             double[] dLast, List<String> failures) {
        if (values == null) {
            assertNull(grad, name);
            return 0;
        }
        Function<DoubleScanInputs, Double> loss = x -> {
            DoubleScanOutputs o = SelectiveScanReference.forward(x, true);
            double sum = 0;
            for (int i = 0; i < dout.length; i++) {
                sum += dout[i] * o.out()[i];
            }
            for (int i = 0; i < dLast.length; i++) {
                sum += dLast[i] * o.lastState()[i];
            }
            return sum;
        };
        double eps = 1e-6;
        for (int i = 0; i < values.length; i++) {
            double original = values[i];
            values[i] = original + eps;
            double plus = loss.apply(in);
            values[i] = original - eps;
            double minus = loss.apply(in);
            values[i] = original;
            double numeric = (plus - minus) / (2 * eps);
            double diff = Math.abs(numeric - grad[i]);
            if (diff > 1e-7 + 1e-6 * Math.max(Math.abs(numeric), Math.abs(grad[i]))) {
                failures.add(name + "[" + i + "]: analytic " + grad[i] + " numeric " + numeric);
            }
        }
        return values.length;
    }
}
