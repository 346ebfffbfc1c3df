package io.seqbench.kernels.scan;

import java.util.SplittableRandom;

/** Seeded random selective-scan inputs in realistic ranges, and the error measures the scan tests use. */
final class ScanFixtures {
    private ScanFixtures() {
    }

    /** Which optional inputs a case has. */
    record Options(boolean withD, boolean withZ, boolean withDeltaBias, boolean softplus) {
        static final Options ALL = new Options(true, true, true, true);
        static final Options NONE = new Options(false, false, false, false);

        @Override
        public String toString() {
            return (withD ? "D" : "-") + (withZ ? "z" : "-") + (withDeltaBias ? "b" : "-") + (softplus ? "s" : "-");
        }
    }

    /**
     * Inputs like a trained Mamba layer's: Δ around 0.001–0.5 after softplus, A = −(n+1)·jitter (S4D-real
     * style), B, C, u, z standard normal.
     */
    static DoubleScanInputs randomDouble(ScanShape s, Options o, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int seq = (int) s.sequenceElements();
        double[] u = normal(r, seq);
        double[] delta = new double[seq];
        for (int i = 0; i < seq; i++) {
            delta[i] = o.softplus() ? r.nextDouble(-4.0, 0.5) : r.nextDouble(0.001, 0.5);
        }
        double[] a = new double[s.channels() * s.state()];
        for (int d = 0; d < s.channels(); d++) {
            for (int n = 0; n < s.state(); n++) {
                a[d * s.state() + n] = -(n + 1) * r.nextDouble(0.5, 1.5);
            }
        }
        double[] b = normal(r, (int) s.bcElements());
        double[] c = normal(r, (int) s.bcElements());
        double[] dd = o.withD() ? normal(r, s.channels()) : null;
        double[] z = o.withZ() ? normal(r, seq) : null;
        double[] bias = null;
        if (o.withDeltaBias()) {
            bias = new double[s.channels()];
            for (int d = 0; d < s.channels(); d++) {
                bias[d] = r.nextDouble(-0.3, 0.3) * (o.softplus() ? 1 : 0.1);
            }
        }
        return new DoubleScanInputs(s, u, delta, a, b, c, dd, z, bias, o.softplus());
    }

    /** The same inputs rounded to float (the double twin then holds exactly these floats, widened). */
    static ScanInputs randomFloat(ScanShape s, Options o, long seed) {
        DoubleScanInputs x = randomDouble(s, o, seed);
        return new ScanInputs(s, DoubleScanInputs.narrow(x.u()), DoubleScanInputs.narrow(x.delta()),
                DoubleScanInputs.narrow(x.a()), DoubleScanInputs.narrow(x.b()), DoubleScanInputs.narrow(x.c()),
                DoubleScanInputs.narrow(x.d()), DoubleScanInputs.narrow(x.z()),
                DoubleScanInputs.narrow(x.deltaBias()), x.deltaSoftplus());
    }

    static double[] normal(SplittableRandom r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i += 2) {
            // Box-Muller
            double u1 = r.nextDouble(1e-12, 1), u2 = r.nextDouble();
            double rad = Math.sqrt(-2 * Math.log(u1));
            x[i] = rad * Math.cos(2 * Math.PI * u2);
            if (i + 1 < n) {
                x[i + 1] = rad * Math.sin(2 * Math.PI * u2);
            }
        }
        return x;
    }

    static float[] normalFloat(long seed, int n) {
        return DoubleScanInputs.narrow(normal(new SplittableRandom(seed), n));
    }

    /** ‖actual − expected‖₂ / ‖expected‖₂ (absolute norm of the difference when expected is all zeros). */
    static double relativeError(float[] actual, float[] expected) {
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            diff += (a - e) * (a - e);
            norm += e * e;
        }
        if (actual.length != expected.length) {
            throw new AssertionError("lengths differ: " + actual.length + " vs " + expected.length);
        }
        return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
    }
}
