package io.seqbench.kernels.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An n-dimensional array as a .npy file holds it: a shape, an element type and the elements in C (row-major)
 * order, little-endian. Immutable; the typed accessors return copies.
 */
public final class NpyArray {
    private final long[] shape;
    private final NpyType type;
    private final ByteBuffer data;

    private NpyArray(long[] shape, NpyType type, ByteBuffer data) {
        this.shape = shape.clone();
        this.type = type;
        this.data = data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long expected = elementCount(this.shape) * type.bytes();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException(type + " array of shape " + Arrays.toString(shape) + " needs "
                    + expected + " bytes, got " + data.remaining());
        }
    }

    /** Wraps little-endian element bytes (shared, not copied). */
    static NpyArray ofBytes(long[] shape, NpyType type, ByteBuffer data) {
        return new NpyArray(shape, type, data);
    }

    /**
     * A float32 array.
     *
     * @param values the elements in C order
     * @param shape  the shape; its product must equal the number of values
     */
    public static NpyArray of(float[] values, long... shape) {
        ByteBuffer b = allocate(values.length, NpyType.FLOAT32, shape);
        b.asFloatBuffer().put(values);
        return new NpyArray(shape, NpyType.FLOAT32, b);
    }

    /** A float64 array (see {@link #of(float[], long...)}). */
    public static NpyArray of(double[] values, long... shape) {
        ByteBuffer b = allocate(values.length, NpyType.FLOAT64, shape);
        b.asDoubleBuffer().put(values);
        return new NpyArray(shape, NpyType.FLOAT64, b);
    }

    /** An int32 array (see {@link #of(float[], long...)}). */
    public static NpyArray of(int[] values, long... shape) {
        ByteBuffer b = allocate(values.length, NpyType.INT32, shape);
        b.asIntBuffer().put(values);
        return new NpyArray(shape, NpyType.INT32, b);
    }

    /** An int64 array (see {@link #of(float[], long...)}). */
    public static NpyArray of(long[] values, long... shape) {
        ByteBuffer b = allocate(values.length, NpyType.INT64, shape);
        b.asLongBuffer().put(values);
        return new NpyArray(shape, NpyType.INT64, b);
    }

    private static ByteBuffer allocate(int count, NpyType type, long[] shape) {
        if (elementCount(shape) != count) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + elementCount(shape)
                    + " elements, got " + count + " values");
        }
        return ByteBuffer.allocate(count * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The product of the sizes (1 for a scalar, shape []). */
    static long elementCount(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    public long[] shape() {
        return shape.clone();
    }

    public NpyType type() {
        return type;
    }

    /** Number of elements. */
    public long size() {
        return elementCount(shape);
    }

    /** The elements of a float32 array. */
    public float[] floats() {
        require(NpyType.FLOAT32);
        float[] out = new float[(int) size()];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** The elements of a float64 array. */
    public double[] doubles() {
        require(NpyType.FLOAT64);
        double[] out = new double[(int) size()];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        return out;
    }

    /** The elements of an int32 array. */
    public int[] ints() {
        require(NpyType.INT32);
        int[] out = new int[(int) size()];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }

    /** The elements of an int64 array. */
    public long[] longs() {
        require(NpyType.INT64);
        long[] out = new long[(int) size()];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        return out;
    }

    /** The elements of any type, widened or converted to double. */
    public double[] toDoubles() {
        return switch (type) {
            case FLOAT64 -> doubles();
            case FLOAT32 -> {
                float[] f = floats();
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                yield d;
            }
            case INT32 -> Arrays.stream(ints()).asDoubleStream().toArray();
            case INT64 -> Arrays.stream(longs()).asDoubleStream().toArray();
        };
    }

    /** The raw little-endian element bytes (read-only). */
    ByteBuffer bytes() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    private void require(NpyType wanted) {
        if (type != wanted) {
            throw new IllegalStateException("array of shape " + Arrays.toString(shape) + " holds " + type
                    + ", not " + wanted);
        }
        if (size() > Integer.MAX_VALUE) {
            throw new IllegalStateException("array of shape " + Arrays.toString(shape) + " has more than "
                    + Integer.MAX_VALUE + " elements");
        }
    }

    @Override
    public String toString() {
        return type + " " + Arrays.toString(shape);
    }
}
