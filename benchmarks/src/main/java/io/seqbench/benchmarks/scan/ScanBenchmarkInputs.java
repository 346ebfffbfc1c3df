package io.seqbench.benchmarks.scan;

import io.seqbench.kernels.scan.ScanArrays;
import io.seqbench.kernels.scan.ScanInputs;
import io.seqbench.kernels.scan.ScanShape;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * Seeded inputs of a Mamba-like selective scan for the benchmarks: every optional input present (D, z,
 * delta_bias), softplus on, Δ after softplus mostly in [0.02, 1], A = −(n+1) as in S4D-real initialisation.
 */
final class ScanBenchmarkInputs {
    private ScanBenchmarkInputs() {
    }

    static ScanInputs host(ScanShape s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int seq = (int) s.sequenceElements();
        float[] u = normal(r, seq);
        float[] delta = new float[seq];
        for (int i = 0; i < seq; i++) {
            delta[i] = (float) r.nextDouble(-4.0, 0.5);
        }
        float[] a = new float[s.channels() * s.state()];
        for (int d = 0; d < s.channels(); d++) {
            for (int n = 0; n < s.state(); n++) {
                a[d * s.state() + n] = -(n + 1);
            }
        }
        float[] bias = new float[s.channels()];
        for (int d = 0; d < s.channels(); d++) {
            bias[d] = (float) r.nextDouble(-0.3, 0.3);
        }
        return new ScanInputs(s, u, delta, a, normal(r, (int) s.bcElements()), normal(r, (int) s.bcElements()),
                normal(r, s.channels()), normal(r, seq), bias, true);
    }

    /** The same values as FLOAT ND4J arrays. */
    static ScanArrays arrays(ScanInputs in) {
        ScanShape s = in.shape();
        long[] seq = {s.batch(), s.channels(), s.length()};
        return new ScanArrays(Nd4j.createFromArray(in.u()).reshape(seq), Nd4j.createFromArray(in.delta()).reshape(seq),
                Nd4j.createFromArray(in.a()).reshape(s.channels(), s.state()),
                Nd4j.createFromArray(in.b()).reshape(s.bcShape()), Nd4j.createFromArray(in.c()).reshape(s.bcShape()),
                Nd4j.createFromArray(in.d()), Nd4j.createFromArray(in.z()).reshape(seq),
                Nd4j.createFromArray(in.deltaBias()), in.deltaSoftplus());
    }

    static float[] normal(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i += 2) {
            double u1 = r.nextDouble(1e-12, 1);
            double u2 = r.nextDouble();
            double rad = Math.sqrt(-2 * Math.log(u1));
            x[i] = (float) (rad * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) {
                x[i + 1] = (float) (rad * Math.sin(2 * Math.PI * u2));
            }
        }
        return x;
    }
}
