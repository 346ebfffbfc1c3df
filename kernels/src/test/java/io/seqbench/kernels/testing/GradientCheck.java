package io.seqbench.kernels.testing;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Central finite-difference gradient check of a SameDiff graph in double precision.
 *
 * <p>For each variable in {@code wrt}, up to {@code maxPerVariable} elements (all when the variable is small,
 * otherwise a seeded sample) are perturbed by ±eps; the numeric derivative of the scalar loss is compared with
 * SameDiff's analytic gradient. An element passes when |analytic − numeric| ≤ absTol + relTol·max(|a|, |n|).
 */
public final class GradientCheck {
    private GradientCheck() {
    }

    /** One element that failed. */
    public record Mismatch(String variable, long index, double analytic, double numeric) {
        @Override
        public String toString() {
            return variable + "[" + index + "]: analytic " + analytic + " vs numeric " + numeric;
        }
    }

    /** The outcome: how many elements were checked and which failed. */
    public record Result(int checked, List<Mismatch> mismatches, double maxRelError) {
        public boolean passed() {
            return mismatches.isEmpty();
        }

        @Override
        public String toString() {
            return "checked " + checked + " elements, " + mismatches.size() + " mismatches, max rel error "
                    + maxRelError + (mismatches.isEmpty() ? "" : ", first: " + mismatches.subList(0,
                    Math.min(5, mismatches.size())));
        }
    }

    public static Result check(SameDiff sd, Map<String, INDArray> placeholders, String loss,
                               Collection<String> wrt) {
        return check(sd, placeholders, loss, wrt, 1e-6, 1e-5, 1e-8, 60, 42L);
    }

    public static Result check(SameDiff sd, Map<String, INDArray> placeholders, String loss,
                               Collection<String> wrt, double eps, double relTol, double absTol,
                               int maxPerVariable, long seed) {
        Map<String, INDArray> analytic = sd.calculateGradients(placeholders, wrt);
        SplittableRandom random = new SplittableRandom(seed);
        List<Mismatch> mismatches = new ArrayList<>();
        int checked = 0;
        double maxRel = 0;
        for (String name : wrt) {
            INDArray param = sd.getVariable(name).getArr();
            if (param.dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException("gradient checks need DOUBLE variables; " + name + " is "
                        + param.dataType());
            }
            INDArray grad = analytic.get(name);
            if (grad == null) {
                throw new IllegalStateException("no gradient was computed for " + name);
            }
            long n = param.length();
            long[] positions = positions(n, maxPerVariable, random);
            for (long i : positions) {
                double original = param.getDouble(i);
                param.putScalar(i, original + eps);
                double plus = lossValue(sd, placeholders, loss);
                param.putScalar(i, original - eps);
                double minus = lossValue(sd, placeholders, loss);
                param.putScalar(i, original);
                double numeric = (plus - minus) / (2 * eps);
                double a = grad.getDouble(i);
                double diff = Math.abs(a - numeric);
                double scale = Math.max(Math.abs(a), Math.abs(numeric));
                if (scale > 0) {
                    maxRel = Math.max(maxRel, diff / scale);
                }
                if (diff > absTol + relTol * scale) {
                    mismatches.add(new Mismatch(name, i, a, numeric));
                }
                checked++;
            }
        }
        return new Result(checked, mismatches, maxRel);
    }

    private static double lossValue(SameDiff sd, Map<String, INDArray> placeholders, String loss) {
        return sd.output(placeholders, loss).get(loss).getDouble(0);
    }

    private static long[] positions(long n, int max, SplittableRandom random) {
        if (n <= max) {
            long[] all = new long[(int) n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        return random.longs(max, 0, n).toArray();
    }
}
