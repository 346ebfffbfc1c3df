package io.seqbench.kernels.op;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Copies between FLOAT or DOUBLE ND4J arrays and plain double arrays, for Java kernels that compute in double
 * whatever the data type (the GRU and the causal convolution).
 */
public final class HostArrays {
    private HostArrays() {
    }

    /** The values of {@code a} in c order, widened to double. */
    public static double[] read(INDArray a) {
        INDArray dense = DenseArrays.dense(a);
        double[] values = new double[Math.toIntExact(dense.length())];
        if (dense.dataType() == DataType.DOUBLE) {
            DenseArrays.doubles(dense).get(values);
        } else {
            FloatBuffer src = DenseArrays.floats(dense);
            for (int i = 0; i < values.length; i++) {
                values[i] = src.get(i);
            }
        }
        return values;
    }

    /** Writes {@code values} (c order) into {@code out}, rounding to float for a FLOAT array. */
    public static void write(double[] values, INDArray out) {
        INDArray target = DenseArrays.isDense(out) ? out : out.dup('c');
        if (target.dataType() == DataType.DOUBLE) {
            DoubleBuffer dst = DenseArrays.doubles(target);
            dst.put(values);
        } else {
            FloatBuffer dst = DenseArrays.floats(target);
            for (int i = 0; i < values.length; i++) {
                dst.put(i, (float) values[i]);
            }
        }
        if (target != out) {
            out.assign(target);
        }
    }
}
