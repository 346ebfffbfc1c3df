package io.seqbench.kernels.scan;

/**
 * The data a {@link RowKernel} reads for one (batch, channel) row, set by the driver before each row. Arrays are
 * shared scratch; offsets select the row's slice.
 *
 * <p>Layouts: {@code a} is (channels, npad) with zero padding past the state size; {@code bT} and {@code cT}
 * are B and C transposed to (batch·groups, length, npad), zero-padded; {@code dt} and {@code u} hold Δ (after
 * bias and softplus) and u of this row, indexed by t.
 */
final class ScanRow {
    /** State size rounded up to a multiple of the kernel's lane count; padded lanes keep h = 0. */
    int npad;
    float[] a;
    /** Offset of A[d, 0]. */
    int aOff;
    float[] bT;
    float[] cT;
    /** Offset of B/C[b, g, t = 0, n = 0] in the transposed layout. */
    int bcOff;
    float[] dt;
    float[] u;
}
