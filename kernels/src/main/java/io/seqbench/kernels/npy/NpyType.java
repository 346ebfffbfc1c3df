package io.seqbench.kernels.npy;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An element type a .npy file can hold here: little-endian float32, float64, int32 or int64. */
public enum NpyType {
    FLOAT32("<f4", "float32", 4),
    FLOAT64("<f8", "float64", 8),
    INT32("<i4", "int32", 4),
    INT64("<i8", "int64", 8);

    private final String descr;
    private final String numpyName;
    private final int bytes;

    NpyType(String descr, String numpyName, int bytes) {
        this.descr = descr;
        this.numpyName = numpyName;
        this.bytes = bytes;
    }

    /** The header's {@code descr} string, e.g. {@code <f4}. */
    public String descr() {
        return descr;
    }

    /** NumPy's name, e.g. {@code float32}. */
    public String numpyName() {
        return numpyName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** "float32 (<f4)". */
    @Override
    public String toString() {
        return numpyName + " (" + descr + ")";
    }

    /**
     * The type of a header's {@code descr}; {@code null} when it is not one of the supported ones.
     *
     * @param descr e.g. {@code <f4}
     */
    static NpyType ofDescr(String descr) {
        for (NpyType t : values()) {
            if (t.descr.equals(descr)) {
                return t;
            }
        }
        return null;
    }

    /** The supported types, for error messages: "float32 (<f4), float64 (<f8), …". */
    static String supported() {
        return Arrays.stream(values()).map(NpyType::toString).collect(Collectors.joining(", "));
    }
}
