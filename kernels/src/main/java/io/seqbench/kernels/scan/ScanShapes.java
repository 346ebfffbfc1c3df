package io.seqbench.kernels.scan;

import java.util.Arrays;

/**
 * Infers a {@link ScanShape} from the shapes of the inputs and checks every input against it, with messages that
 * name the input, its shape and the shape expected. Shared by the SameDiff ops, the array entry points and the
 * npy file interface (which names inputs by file, e.g. {@code B.npy}).
 */
public final class ScanShapes {
    private ScanShapes() {
    }

    /**
     * One input's name and shape; a {@code null} Input means an optional input that is absent.
     *
     * @param name  what a user calls it (e.g. "u" or "u.npy")
     * @param shape its shape
     */
    public record Input(String name, long[] shape) {
        String describe() {
            return name + " has shape " + Arrays.toString(shape);
        }
    }

    /**
     * The sizes implied by u (batch, channels, length), A (channels, state) and B ([groups,] state), after
     * checking that every input agrees.
     *
     * @throws IllegalArgumentException naming the first input that does not fit, its shape and the shape expected
     */
    public static ScanShape infer(Input u, Input delta, Input a, Input b, Input c, Input d, Input z,
                                  Input deltaBias) {
        if (u.shape().length != 3) {
            throw new IllegalArgumentException(u.describe() + ", expected 3 dimensions (batch, channels, length)");
        }
        requirePositive(u);
        int batch = size(u, 0), channels = size(u, 1), length = size(u, 2);
        long[] seq = {batch, channels, length};
        same(delta, seq, "(batch, channels, length) like " + u.name());
        if (a.shape().length != 2 || a.shape()[0] != channels || a.shape()[1] < 1) {
            throw new IllegalArgumentException(a.describe() + ", expected [" + channels
                    + ", state] (channels, state) with channels = " + channels + " from " + u.name());
        }
        int state = size(a, 1);
        requirePositive(b);
        int groups;
        long[] bc;
        if (b.shape().length == 3) {
            groups = 0;
            bc = new long[]{batch, state, length};
        } else if (b.shape().length == 4) {
            groups = size(b, 1);
            bc = new long[]{batch, groups, state, length};
        } else {
            throw new IllegalArgumentException(b.describe() + ", expected " + Arrays.toString(
                    new long[]{batch, state, length}) + " (batch, state, length) or [" + batch + ", groups, "
                    + state + ", " + length + "] (batch, groups, state, length)");
        }
        if (!Arrays.equals(b.shape(), bc) || (groups > 0 && channels % groups != 0)) {
            String why = groups > 0 && channels % groups != 0
                    ? " with groups dividing channels = " + channels + " (got " + groups + " groups)"
                    : " (batch and length from " + u.name() + ", state from " + a.name() + ")";
            throw new IllegalArgumentException(b.describe() + ", expected " + Arrays.toString(bc)
                    + (groups == 0 ? " (batch, state, length)" : " (batch, groups, state, length)") + why);
        }
        same(c, bc, "like " + b.name());
        if (d != null) {
            same(d, new long[]{channels}, "(channels)");
        }
        if (z != null) {
            same(z, seq, "(batch, channels, length) like " + u.name());
        }
        if (deltaBias != null) {
            same(deltaBias, new long[]{channels}, "(channels)");
        }
        return new ScanShape(batch, channels, length, state, groups);
    }

    private static void same(Input in, long[] expected, String what) {
        if (!Arrays.equals(in.shape(), expected)) {
            throw new IllegalArgumentException(in.describe() + ", expected " + Arrays.toString(expected) + " "
                    + what);
        }
    }

    private static void requirePositive(Input in) {
        for (long s : in.shape()) {
            if (s < 1) {
                throw new IllegalArgumentException(in.describe() + "; every size must be ≥ 1");
            }
        }
    }

    private static int size(Input in, int axis) {
        long s = in.shape()[axis];
        if (s > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(in.describe() + "; sizes above " + Integer.MAX_VALUE
                    + " are not supported");
        }
        return (int) s;
    }
}
