package io.seqbench.architectures;

import java.util.SplittableRandom;

/** How a parameter's initial values are drawn. Implementations fill a flat row-major array. */
@FunctionalInterface
public interface Init {

    void fill(double[] values, SplittableRandom random);

    /** Uniform on [−bound, bound]. */
    static Init uniform(double bound) {
        return (v, r) -> {
            for (int i = 0; i < v.length; i++) {
                v[i] = (2 * r.nextDouble() - 1) * bound;
            }
        };
    }

    /** Uniform on [low, high]. */
    static Init uniform(double low, double high) {
        return (v, r) -> {
            for (int i = 0; i < v.length; i++) {
                v[i] = low + (high - low) * r.nextDouble();
            }
        };
    }

    /** Normal with mean 0 (Box–Muller, so values are identical on every JVM). */
    static Init normal(double std) {
        return (v, r) -> {
            for (int i = 0; i < v.length; i += 2) {
                double u1 = 1.0 - r.nextDouble();
                double u2 = r.nextDouble();
                double radius = Math.sqrt(-2.0 * Math.log(u1));
                v[i] = std * radius * Math.cos(2 * Math.PI * u2);
                if (i + 1 < v.length) {
                    v[i + 1] = std * radius * Math.sin(2 * Math.PI * u2);
                }
            }
        };
    }

    /** Every value equal to {@code c}. */
    static Init constant(double c) {
        return (v, r) -> java.util.Arrays.fill(v, c);
    }

    static Init zeros() {
        return constant(0.0);
    }

    static Init ones() {
        return constant(1.0);
    }

    /** Uniform with bound 1/sqrt(fanIn), the default of PyTorch's Linear and LSTM layers. */
    static Init fanIn(long fanIn) {
        return uniform(1.0 / Math.sqrt(fanIn));
    }
}
