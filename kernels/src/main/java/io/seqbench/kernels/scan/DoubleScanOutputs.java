package io.seqbench.kernels.scan;

/**
 * Outputs of a double-precision selective-scan forward pass (the twin of {@link ScanOutputs}).
 *
 * @param out       (batch, channels, length)
 * @param lastState (batch, channels, state), h at the last position; {@code null} when not requested
 */
public record DoubleScanOutputs(double[] out, double[] lastState) {

    /** The outputs rounded to float. */
    public ScanOutputs toFloat() {
        return new ScanOutputs(DoubleScanInputs.narrow(out), DoubleScanInputs.narrow(lastState));
    }
}
