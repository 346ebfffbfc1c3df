package io.seqbench.kernels.scan;

/**
 * The data {@link RowKernel#scanBlock} reads for a block of channels of one batch and group, scanned together
 * with one SIMD lane per channel. Set by the driver before each block.
 *
 * <p>Layouts (W = {@link RowKernel#blockWidth()}): {@code aT} is (npad, W), A of the block's channels
 * transposed; {@code dtT} and {@code uT} are (length, W), Δ and u transposed; {@code bT} and {@code cT} are the
 * shared transposed B and C (length, npad) from {@code bcOff}, read one scalar per (t, n) and broadcast to all
 * lanes (the channels of a group share B and C).
 */
final class ScanBlock {
    int npad;
    int state;
    float[] aT;
    float[] bT;
    float[] cT;
    int bcOff;
    float[] dtT;
    float[] uT;
}
