package io.seqbench.kernels.cuda;

import io.seqbench.kernels.scan.ScanInputs;
import io.seqbench.kernels.scan.ScanShape;

import java.util.Random;

/**
 * A randomised selective-scan problem for verification: a shape, which optional inputs are present, and inputs
 * drawn like a Mamba layer's (Δ's bias from softplus⁻¹ of a log-uniform step in [0.001, 0.1], A negative).
 *
 * @param name       a label for reports
 * @param shape      the sizes
 * @param hasD       skip weight D present
 * @param hasZ       gate z present
 * @param hasBias    delta_bias present
 * @param softplus   Δ = softplus(delta + delta_bias)
 * @param mixedSignA some entries of A positive (exercises the exp path that is valid for any sign)
 * @param withDLast  the backward also receives a gradient for the last state
 */
public record ScanCase(String name, ScanShape shape, boolean hasD, boolean hasZ, boolean hasBias, boolean softplus,
                       boolean mixedSignA, boolean withDLast) {

    /** Inputs drawn from {@code seed}. */
    public ScanInputs inputs(long seed) {
        Random r = new Random(seed);
        ScanShape s = shape;
        int seq = Math.toIntExact(s.sequenceElements());
        int bc = Math.toIntExact(s.bcElements());
        float[] u = gaussian(r, seq, 1);
        float[] delta = new float[seq];
        for (int i = 0; i < seq; i++) {
            delta[i] = softplus ? (float) r.nextGaussian() : 0.01f + 0.3f * r.nextFloat();
        }
        float[] a = new float[s.channels() * s.state()];
        for (int i = 0; i < a.length; i++) {
            a[i] = mixedSignA ? -2f + 2.3f * r.nextFloat() : (float) -Math.exp(Math.log(0.5) + r.nextDouble()
                    * Math.log(32));
        }
        float[] b = gaussian(r, bc, 1);
        float[] c = gaussian(r, bc, 1);
        float[] d = hasD ? gaussian(r, s.channels(), 1) : null;
        float[] z = hasZ ? gaussian(r, seq, 1.5) : null;
        float[] bias = null;
        if (hasBias) {
            bias = new float[s.channels()];
            for (int i = 0; i < bias.length; i++) {
                if (softplus) {
                    double dt = Math.exp(Math.log(0.001) + r.nextDouble() * Math.log(100));
                    bias[i] = (float) (dt + Math.log(-Math.expm1(-dt)));  // softplus⁻¹(dt)
                } else {
                    bias[i] = 0.05f * r.nextFloat();
                }
            }
        }
        return new ScanInputs(s, u, delta, a, b, c, d, z, bias, softplus);
    }

    /** Gradient of the loss with respect to out, drawn from {@code seed}. */
    public float[] dout(long seed) {
        return gaussian(new Random(seed ^ 0x5DEECE66DL), Math.toIntExact(shape.sequenceElements()), 1);
    }

    /** Gradient with respect to the last state, or null when the case has none. */
    public float[] dLast(long seed) {
        if (!withDLast) {
            return null;
        }
        return gaussian(new Random(seed ^ 0xBADC0FFEEL),
                Math.toIntExact((long) shape.batch() * shape.channels() * shape.state()), 1);
    }

    static float[] gaussian(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (scale * r.nextGaussian());
        }
        return v;
    }
}
