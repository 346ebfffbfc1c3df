package io.seqbench.kernels.scan;

import io.seqbench.kernels.scan.ScanFixtures.Options;

/**
 * Run by {@link FusedSelectiveScanTest} in a JVM started without {@code jdk.incubator.vector}: prints the
 * backend the fused scan chose and the relative error of its forward and backward against the reference.
 */
public final class ScalarFallbackMain {
    private ScalarFallbackMain() {
    }

    public static void main(String[] args) {
        ScanShape s = new ScanShape(2, 20, 45, 16, 2);
        ScanInputs in = ScanFixtures.randomFloat(s, Options.ALL, 5);
        float[] dout = ScanFixtures.normalFloat(6, (int) s.sequenceElements());
        FusedSelectiveScan f = FusedSelectiveScan.create(2, 16);
        double fwd = ScanFixtures.relativeError(f.forward(in, false).out(),
                SelectiveScanReference.forward(in, false).out());
        double bwd = ScanFixtures.relativeError(f.backward(in, dout).da(),
                SelectiveScanReference.backward(in, dout).da());
        System.out.println("backend=" + FusedSelectiveScan.backend());
        System.out.println("vectorized=" + FusedSelectiveScan.vectorized());
        System.out.println("forwardError=" + fwd);
        System.out.println("dAError=" + bwd);
        f.close();
    }
}
