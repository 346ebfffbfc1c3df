package io.seqbench.kernels.op;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Zero-copy access to the memory of dense, c-ordered ND4J arrays, for Java kernels.
 *
 * <p>A view (offset, strides or a shared buffer) is copied once with {@link #dense}; everything else is read and
 * written in place through NIO buffers that start at the array's first element.
 */
public final class DenseArrays {
    private DenseArrays() {
    }

    /** True when the array owns a dense c-ordered buffer starting at its first element. */
    public static boolean isDense(INDArray a) {
        return !a.isView() && a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a);
    }

    /** The array itself when it is dense, otherwise a dense c-ordered copy. */
    public static INDArray dense(INDArray a) {
        return isDense(a) ? a : a.dup('c');
    }

    /** A float view of a dense FLOAT array; position 0 is its first element. */
    public static FloatBuffer floats(INDArray a) {
        requireDense(a, DataType.FLOAT);
        return a.data().asNioFloat().slice();
    }

    /** A double view of a dense DOUBLE array; position 0 is its first element. */
    public static DoubleBuffer doubles(INDArray a) {
        requireDense(a, DataType.DOUBLE);
        return a.data().asNioDouble().slice();
    }

    /** The values of an integer array as longs (a copy; index arrays are small). */
    public static long[] indices(INDArray a, String name) {
        if (!a.dataType().isIntType()) {
            throw new IllegalArgumentException(name + " must have an integer data type, got " + a.dataType());
        }
        return a.castTo(DataType.LONG).dup('c').data().asLong();
    }

    /**
     * The values of a FLOAT or DOUBLE array as a new row-major {@code double[]} (for Java kernels that compute in
     * double whatever the array's type).
     */
    public static double[] toDoubles(INDArray a) {
        INDArray d = dense(a);
        double[] out = new double[Math.toIntExact(d.length())];
        if (d.dataType() == DataType.DOUBLE) {
            doubles(d).get(out);
        } else if (d.dataType() == DataType.FLOAT) {
            FloatBuffer f = floats(d);
            for (int i = 0; i < out.length; i++) {
                out[i] = f.get(i);
            }
        } else {
            throw new IllegalArgumentException("expected a FLOAT or DOUBLE array, got " + d.dataType());
        }
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
            FloatBuffer f = floats(target);
            for (int i = 0; i < values.length; i++) {
                f.put(i, (float) values[i]);
            }
        } else {
            throw new IllegalArgumentException("expected a FLOAT or DOUBLE array, got " + target.dataType());
        }
        if (target != out) {
            out.assign(target);
        }
    }

    private static void requireDense(INDArray a, DataType type) {
        if (a.dataType() != type) {
            throw new IllegalArgumentException("expected a " + type + " array, got " + a.dataType() + " of shape "
                    + Arrays.toString(a.shape()));
        }
        if (!isDense(a)) {
            throw new IllegalArgumentException("expected a dense c-ordered array, got a view of shape "
                    + Arrays.toString(a.shape()) + " (call DenseArrays.dense first)");
        }
    }
}
