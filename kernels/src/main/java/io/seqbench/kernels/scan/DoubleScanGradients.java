package io.seqbench.kernels.scan;

/**
 * Double-precision gradients of a selective-scan call (the twin of {@link ScanGradients}); {@code null} for an
 * optional input that was not given.
 */
public record DoubleScanGradients(double[] du, double[] ddelta, double[] da, double[] db, double[] dc,
                                  double[] dd, double[] dz, double[] ddeltaBias) {

    /** The gradients rounded to float. */
    public ScanGradients toFloat() {
        return new ScanGradients(DoubleScanInputs.narrow(du), DoubleScanInputs.narrow(ddelta),
                DoubleScanInputs.narrow(da), DoubleScanInputs.narrow(db), DoubleScanInputs.narrow(dc),
                DoubleScanInputs.narrow(dd), DoubleScanInputs.narrow(dz), DoubleScanInputs.narrow(ddeltaBias));
    }
}
