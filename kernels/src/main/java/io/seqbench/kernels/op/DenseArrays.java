package io.seqbench.kernels.op;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Access to the memory of ND4J arrays for Java kernels: zero-copy NIO views of contiguous arrays, and copies to
 * and from plain Java arrays.
 *
 * <p>"Dense" means the elements are contiguous in c order from the array's offset (size-1 dimensions ignored;
 * their stride is never used): reshaped arrays and slices along the first axis qualify. Anything else is copied
 * once with {@link #dense}.
 *
 * <p>Lifetime: a view from {@link #floats} or {@link #doubles} does not keep the array's memory alive. The caller
 * must keep the {@link INDArray} reachable while it uses the view ({@link Reference#reachabilityFence}); a view
 * over a temporary copy that the garbage collector frees reads freed memory. The copying methods here do this
 * themselves.
 */
public final class DenseArrays {
    private DenseArrays() {
    }

    /** True when the array's elements are contiguous in c order from its offset. */
    public static boolean isDense(INDArray a) {
        if (a.isEmpty()) {
            return false;
        }
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** The array itself when it is dense, otherwise a dense c-ordered copy (which the caller keeps reachable). */
    public static INDArray dense(INDArray a) {
        return isDense(a) ? a : a.dup('c');
    }

    /** A float view of a dense FLOAT array; index 0 is its first element. */
    public static FloatBuffer floats(INDArray a) {
        require(a, DataType.FLOAT);
        FloatBuffer b = a.data().asNioFloat();    // the whole underlying buffer
        checkBounds(a, b.capacity());
        b.position(Math.toIntExact(a.offset()));
        return b.slice();
    }

    /** A double view of a dense DOUBLE array; index 0 is its first element. */
    public static DoubleBuffer doubles(INDArray a) {
        require(a, DataType.DOUBLE);
        DoubleBuffer b = a.data().asNioDouble();
        checkBounds(a, b.capacity());
        b.position(Math.toIntExact(a.offset()));
        return b.slice();
    }

    /** The values of an integer array as longs (a copy; index arrays are small). */
    public static long[] indices(INDArray a, String name) {
        if (!a.dataType().isIntType()) {
            throw new IllegalArgumentException(name + " must have an integer data type, got " + a.dataType());
        }
        return a.castTo(DataType.LONG).dup('c').data().asLong();
    }

    /** The values of a FLOAT or DOUBLE array, row-major, widened to double (a copy). */
    public static double[] toDoubles(INDArray a) {
        INDArray d = dense(a);
        double[] out = new double[Math.toIntExact(d.length())];
        if (d.dataType() == DataType.DOUBLE) {
            doubles(d).get(out);
        } else if (d.dataType() == DataType.FLOAT) {
            float[] f = new float[out.length];
            floats(d).get(f);
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
        } else {
            throw new IllegalArgumentException("expected a FLOAT or DOUBLE array, got " + d.dataType());
        }
        Reference.reachabilityFence(d);
        return out;
    }

    /** The values of any numeric array, row-major, as floats (a copy). */
    public static float[] toFloats(INDArray a) {
        INDArray d = dense(a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT));
        float[] out = new float[Math.toIntExact(d.length())];
        floats(d).get(out);
        Reference.reachabilityFence(d);
        return out;
    }

    /**
     * Writes row-major {@code values} into {@code out} (FLOAT or DOUBLE, any layout), rounding to float where
     * {@code out} is FLOAT.
     */
    public static void assign(INDArray out, double[] values) {
        if (out.length() != values.length) {
            throw new IllegalArgumentException("cannot write " + values.length + " values into an array of shape "
                    + Arrays.toString(out.shape()));
        }
        INDArray target = isDense(out) ? out : Nd4j.createUninitialized(out.dataType(), out.shape(), 'c');
        if (target.dataType() == DataType.DOUBLE) {
            doubles(target).put(values);
        } else if (target.dataType() == DataType.FLOAT) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            floats(target).put(f);
        } else {
            throw new IllegalArgumentException("expected a FLOAT or DOUBLE array, got " + target.dataType());
        }
        if (target != out) {
            out.assign(target);
        }
        Reference.reachabilityFence(target);
    }

    private static void checkBounds(INDArray a, int capacity) {
        if (a.offset() + a.length() > capacity) {
            throw new IllegalStateException("array of shape " + Arrays.toString(a.shape()) + " at offset "
                    + a.offset() + " does not fit its buffer of " + capacity + " elements");
        }
    }

    private static void require(INDArray a, DataType type) {
        if (a.dataType() != type || !isDense(a)) {
            throw new IllegalArgumentException("expected a contiguous c-ordered " + type + " array, got "
                    + a.dataType() + " of shape " + Arrays.toString(a.shape()) + ", strides "
                    + Arrays.toString(a.stride()) + ", offset " + a.offset() + " (call DenseArrays.dense first)");
        }
    }
}
