package io.seqbench.kernels.scan;

/**
 * Outputs of a selective-scan forward pass.
 *
 * @param out       (batch, channels, length)
 * @param lastState (batch, channels, state), h at the last position; {@code null} when not requested
 */
public record ScanOutputs(float[] out, float[] lastState) {
}
