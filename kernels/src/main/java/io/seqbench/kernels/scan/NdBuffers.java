package io.seqbench.kernels.scan;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Zero-copy NIO access to dense c-ordered ND4J arrays for the scan ops.
 *
 * <p>Unlike {@code DenseArrays.isDense}, which relies on {@code Shape.hasDefaultStridesForShape} and rejects
 * dense arrays with a dimension of size 1 (ND4J M2.1 reports {@code false} for e.g. shape [2, 4, 1, 4] with
 * strides [16, 4, 4, 1]), density here compares strides directly and ignores size-1 dimensions, whose stride
 * is never used.
 */
final class NdBuffers {
    private NdBuffers() {
    }

    /** True when the array owns a buffer starting at its first element, laid out in c order. */
    static boolean isDense(INDArray a) {
        if (a.isView() || a.offset() != 0) {
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

    /** The array itself when dense, otherwise a dense c-ordered copy. */
    static INDArray dense(INDArray a) {
        return isDense(a) ? a : a.dup('c');
    }

    /** A float view of a dense FLOAT array; index 0 is its first element. */
    static FloatBuffer floats(INDArray a) {
        require(a, DataType.FLOAT);
        return a.data().asNioFloat().slice();
    }

    /** A double view of a dense DOUBLE array; index 0 is its first element. */
    static DoubleBuffer doubles(INDArray a) {
        require(a, DataType.DOUBLE);
        return a.data().asNioDouble().slice();
    }

    private static void require(INDArray a, DataType type) {
        if (a.dataType() != type || !isDense(a)) {
            throw new IllegalArgumentException("expected a dense c-ordered " + type + " array, got "
                    + a.dataType() + " of shape " + Arrays.toString(a.shape()) + " and strides "
                    + Arrays.toString(a.stride()));
        }
    }
}
