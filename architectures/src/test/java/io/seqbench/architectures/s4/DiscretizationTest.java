package io.seqbench.architectures.s4;

import io.seqbench.architectures.Graph;
import io.seqbench.kernels.op.JavaOps;
import io.seqbench.kernels.vandermonde.VandermondeKernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiscretizationTest {

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    /** A minimal complex number, the reference the real/imaginary formulas are checked against. */
    record Complex(double re, double im) {
        static final Complex ONE = new Complex(1, 0);

        Complex plus(Complex o) {
            return new Complex(re + o.re, im + o.im);
        }

        Complex minus(Complex o) {
            return new Complex(re - o.re, im - o.im);
        }

        Complex times(Complex o) {
            return new Complex(re * o.re - im * o.im, re * o.im + im * o.re);
        }

        Complex times(double s) {
            return new Complex(re * s, im * s);
        }

        Complex inverse() {
            double d = re * re + im * im;
            return new Complex(re / d, -im / d);
        }

        Complex exp() {
            double e = Math.exp(re);
            return new Complex(e * Math.cos(im), e * Math.sin(im));
        }
    }

    /** {Ā, B̄} by the textbook matrix formulas, written with complex numbers (A diagonal: one mode). */
    static Complex[] reference(Discretization d, double dt, Complex a, Complex b) {
        Complex dtA = a.times(dt);
        return switch (d) {
            case ZOH -> new Complex[]{dtA.exp(), dtA.inverse().times(dtA.exp().minus(Complex.ONE)).times(b.times(dt))};
            case BILINEAR -> {
                Complex left = Complex.ONE.minus(dtA.times(0.5)).inverse();
                yield new Complex[]{left.times(Complex.ONE.plus(dtA.times(0.5))), left.times(b.times(dt))};
            }
            case EULER -> new Complex[]{Complex.ONE.plus(dtA), b.times(dt)};
        };
    }

    static final int MODES = 7;

    /** Random modes: Re A in [−20, −0.01], Im A in [−40, 40], B in [−2, 2]², Δ log-uniform in [1e-3, 1]. */
    static double[][] randomModes(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] v = new double[5][MODES];
        for (int m = 0; m < MODES; m++) {
            v[0][m] = Math.exp(Math.log(1e-3) + r.nextDouble() * Math.log(1e3));
            v[1][m] = -0.01 - 20 * r.nextDouble();
            v[2][m] = 80 * r.nextDouble() - 40;
            v[3][m] = 4 * r.nextDouble() - 2;
            v[4][m] = 4 * r.nextDouble() - 2;
        }
        return v;
    }

    @Test
    void scalarAndGraphForms_matchComplexReference() {
        double[][] v = randomModes(1);
        for (Discretization d : Discretization.values()) {
            INDArray[] graph = graphForm(d, v);
            double[] out = new double[4];
            for (int m = 0; m < MODES; m++) {
                Complex[] ref = reference(d, v[0][m], new Complex(v[1][m], v[2][m]), new Complex(v[3][m], v[4][m]));
                double[] expected = {ref[0].re(), ref[0].im(), ref[1].re(), ref[1].im()};
                d.scalar(v[0][m], v[1][m], v[2][m], v[3][m], v[4][m], out);
                for (int k = 0; k < 4; k++) {
                    double tol = 1e-12 * Math.max(1, Math.abs(expected[k]));
                    assertEquals(expected[k], out[k], tol, d + " scalar, mode " + m + ", part " + k);
                    assertEquals(expected[k], graph[k].getDouble(m, 0), tol, d + " graph, mode " + m + ", part " + k);
                }
            }
        }
    }

    /** The graph form on a (MODES, 1) column of modes, each with its own Δ, in double. */
    static INDArray[] graphForm(Discretization d, double[][] v) {
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, 1, 1, DataType.DOUBLE);
        SDVariable[] in = new SDVariable[5];
        for (int i = 0; i < 5; i++) {
            in[i] = sd.constant("in" + i, Nd4j.createFromArray(v[i]).reshape(MODES, 1));
        }
        Discretization.Discrete out = d.graph(g, in[0], in[1], in[2], in[3], in[4]);
        String[] names = {out.aBarRe().name(), out.aBarIm().name(), out.bBarRe().name(), out.bBarIm().name()};
        Map<String, INDArray> values = sd.output(Map.of(), names);
        return new INDArray[]{values.get(names[0]), values.get(names[1]), values.get(names[2]), values.get(names[3])};
    }

    @Test
    void discretizations_agreeToFirstOrder_asDeltaShrinks() {
        // one step: Ā and B̄/Δ of every scheme differ from zero-order hold by O(Δ²) and O(Δ)
        Complex a = new Complex(-0.5, 3.0);
        Complex b = new Complex(0.7, -0.2);
        double[] previous = null;
        for (double dt : new double[]{1e-2, 1e-3, 1e-4}) {
            Complex[] zoh = reference(Discretization.ZOH, dt, a, b);
            double[] gaps = new double[4];
            double[] out = new double[4];
            int i = 0;
            for (Discretization d : new Discretization[]{Discretization.BILINEAR, Discretization.EULER}) {
                d.scalar(dt, a.re(), a.im(), b.re(), b.im(), out);
                gaps[i++] = Math.hypot(out[0] - zoh[0].re(), out[1] - zoh[0].im());
                gaps[i++] = Math.hypot(out[2] - zoh[1].re(), out[3] - zoh[1].im()) / dt;
            }
            for (double gap : gaps) {
                assertTrue(gap < 10 * dt, "gap " + gap + " at Δ = " + dt);
            }
            if (previous != null) {
                for (int k = 0; k < 4; k++) {
                    assertTrue(gaps[k] < previous[k] / 5, "gap " + k + " must shrink with Δ: " + previous[k]
                            + " -> " + gaps[k]);
                }
            }
            previous = gaps;
        }
    }

    @Test
    void kernels_approachTheContinuousImpulseResponse_asDeltaShrinks() {
        // K_l / Δ → k(lΔ) = 2 Re Σ_m C_m e^{A_m lΔ} B_m on t ∈ [0, 1], for every scheme
        StateMatrixInit.Modes modes = StateMatrixInit.LIN.modes(8);
        int m = modes.aRe().length;
        double[] cRe = {0.3, -0.8, 0.5, 1.1};
        double[] cIm = {0.6, 0.1, -0.9, 0.2};
        for (Discretization d : Discretization.values()) {
            double previous = Double.MAX_VALUE;
            for (double dt : new double[]{1e-2, 1e-3}) {
                int length = (int) Math.round(1 / dt);
                double[][] disc = new double[4][m];
                double[] out = new double[4];
                for (int k = 0; k < m; k++) {
                    d.scalar(dt, modes.aRe()[k], modes.aIm()[k], modes.bRe()[k], modes.bIm()[k], out);
                    for (int j = 0; j < 4; j++) {
                        disc[j][k] = out[j];
                    }
                }
                double[] wRe = new double[m];
                double[] wIm = new double[m];
                for (int k = 0; k < m; k++) {
                    wRe[k] = cRe[k] * disc[2][k] - cIm[k] * disc[3][k];
                    wIm[k] = cRe[k] * disc[3][k] + cIm[k] * disc[2][k];
                }
                double[] kernel = new double[length];
                VandermondeKernels.kernel(disc[0], disc[1], wRe, wIm, 1, m, length, kernel);
                double worst = 0;
                for (int l = 0; l < length; l++) {
                    double t = l * dt;
                    double exact = 0;
                    for (int k = 0; k < m; k++) {
                        Complex e = new Complex(modes.aRe()[k] * t, modes.aIm()[k] * t).exp()
                                .times(new Complex(modes.bRe()[k], modes.bIm()[k]))
                                .times(new Complex(cRe[k], cIm[k]));
                        exact += 2 * e.re();
                    }
                    worst = Math.max(worst, Math.abs(kernel[l] / dt - exact));
                }
                assertTrue(worst < previous / 5, d + ": error must shrink with Δ, " + previous + " -> " + worst);
                previous = worst;
            }
            assertTrue(previous < 0.1, d + ": K/Δ should be within 0.1 of k(t) at Δ = 1e-3, off by " + previous);
        }
    }
}
