package io.seqbench.kernels.op;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

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
