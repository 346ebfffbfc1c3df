package io.seqbench.kernels.scan;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Zero-copy NIO access to contiguous c-ordered ND4J arrays for the scan ops.
 *
 * <p>"Contiguous" here means c-order strides (size-1 dimensions ignored, their stride is never used) from any
 * offset: a reshaped array or a slice along the first axis qualifies. {@code DenseArrays.isDense} is stricter:
 * it rejects every reshaped array (ND4J M2.1 flags them as views) and every array with a size-1 dimension, so
 * the ops would copy their inputs on every call.
 *
 * <p>Lifetime: a buffer returned here does not keep the array's memory alive. The caller must keep the
 * {@link INDArray} reachable while the buffer is used ({@link java.lang.ref.Reference#reachabilityFence}); a
 * buffer over a temporary copy that the garbage collector frees reads freed memory.
 */
final class NdBuffers {
    private NdBuffers() {
    }

    /** True when the array's elements are contiguous in c order from its offset. */
    static boolean isContiguous(INDArray a) {
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

    /** The array itself when contiguous, otherwise a c-ordered copy (which the caller must keep reachable). */
    static INDArray contiguous(INDArray a) {
        return isContiguous(a) ? a : a.dup('c');
    }

    /** A float view of a contiguous FLOAT array; index 0 is its first element. */
    static FloatBuffer floats(INDArray a) {
        require(a, DataType.FLOAT);
        // ND4J returns the whole underlying buffer, positioned at the array's offset
        FloatBuffer b = a.data().asNioFloat();
        checkBounds(a, b.capacity());
        b.position((int) a.offset());
        return b.slice();
    }

    /** A double view of a contiguous DOUBLE array; index 0 is its first element. */
    static DoubleBuffer doubles(INDArray a) {
        require(a, DataType.DOUBLE);
        DoubleBuffer b = a.data().asNioDouble();
        checkBounds(a, b.capacity());
        b.position((int) a.offset());
        return b.slice();
    }

    /** The values of any array as a new float array in c order. */
    static float[] toFloatArray(INDArray a) {
        INDArray c = contiguous(a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT));
        float[] out = new float[(int) c.length()];
        floats(c).get(0, out);
        java.lang.ref.Reference.reachabilityFence(c);
        return out;
    }

    /** The values of any array as a new double array in c order. */
    static double[] toDoubleArray(INDArray a) {
        INDArray c = contiguous(a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.DOUBLE));
        double[] out = new double[(int) c.length()];
        doubles(c).get(0, out);
        java.lang.ref.Reference.reachabilityFence(c);
        return out;
    }

    private static void checkBounds(INDArray a, int capacity) {
        if (a.offset() + a.length() > capacity) {
            throw new IllegalStateException("array of shape " + Arrays.toString(a.shape()) + " at offset "
                    + a.offset() + " does not fit its buffer of " + capacity + " elements");
        }
    }

    private static void require(INDArray a, DataType type) {
        if (a.dataType() != type || !isContiguous(a)) {
            throw new IllegalArgumentException("expected a contiguous c-ordered " + type + " array, got "
                    + a.dataType() + " of shape " + Arrays.toString(a.shape()) + ", strides "
                    + Arrays.toString(a.stride()) + ", offset " + a.offset());
        }
    }
}
