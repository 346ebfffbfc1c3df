package io.seqbench.kernels.scan;

/**
 * The sizes of one selective-scan call (see the package documentation for the math).
 *
 * @param batch    b, number of sequences
 * @param channels d, number of independent channels (Mamba's d_inner)
 * @param length   l, sequence length
 * @param state    n, state size per channel (Mamba's d_state)
 * @param groups   g, number of B/C groups; channel c uses group c / (channels / groups). {@code 0} means B and C
 *                 have no group axis: shape (batch, state, length), equivalent to one group.
 */
public record ScanShape(int batch, int channels, int length, int state, int groups) {
    public ScanShape {
        positive("batch", batch);
        positive("channels", channels);
        positive("length", length);
        positive("state", state);
        if (groups < 0) {
            throw new IllegalArgumentException("groups must be ≥ 0 (0 = B/C without a group axis), got " + groups);
        }
        if (groups > 0 && channels % groups != 0) {
            throw new IllegalArgumentException("channels (" + channels + ") must be divisible by groups ("
                    + groups + ")");
        }
    }

    /** Number of B/C groups actually used (1 when B/C have no group axis). */
    public int effectiveGroups() {
        return groups == 0 ? 1 : groups;
    }

    /** The group that channel {@code d} reads B and C from. */
    public int groupOf(int d) {
        return d / (channels / effectiveGroups());
    }

    /** Elements of u, delta, z and the output: batch·channels·length. */
    public long sequenceElements() {
        return (long) batch * channels * length;
    }

    /** Elements of B or C: batch·groups·state·length. */
    public long bcElements() {
        return (long) batch * effectiveGroups() * state * length;
    }

    /** State updates of one forward pass: batch·channels·length·state. */
    public long stateUpdates() {
        return sequenceElements() * state;
    }

    /** The shape of B and C as the contract writes it. */
    public long[] bcShape() {
        return groups == 0 ? new long[]{batch, state, length} : new long[]{batch, groups, state, length};
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be ≥ 1, got " + value);
        }
    }
}
