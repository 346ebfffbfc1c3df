package io.seqbench.kernels.scan;

import io.seqbench.kernels.op.DenseArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The inputs of one selective-scan call as ND4J arrays (FLOAT or DOUBLE, all the same), in the contract's
 * layouts. Optional inputs are {@code null}.
 *
 * @param u             (batch, channels, length)
 * @param delta         (batch, channels, length)
 * @param a             (channels, state)
 * @param b             (batch, state, length) or (batch, groups, state, length)
 * @param c             same shape as {@code b}
 * @param d             optional (channels)
 * @param z             optional (batch, channels, length)
 * @param deltaBias     optional (channels)
 * @param deltaSoftplus whether Δ = softplus(delta + delta_bias)
 */
public record ScanArrays(INDArray u, INDArray delta, INDArray a, INDArray b, INDArray c, INDArray d, INDArray z,
                         INDArray deltaBias, boolean deltaSoftplus) {

    /**
     * The sizes, after checking every input's shape and data type.
     *
     * @throws IllegalArgumentException naming the input that does not fit, its shape and the shape expected
     */
    public ScanShape shape() {
        dataType();
        return ScanShapes.infer(input("u", u), input("delta", delta), input("A", a), input("B", b), input("C", c),
                input("D", d), input("z", z), input("delta_bias", deltaBias));
    }

    /**
     * The common data type, FLOAT or DOUBLE.
     *
     * @throws IllegalArgumentException naming an input of another type
     */
    public DataType dataType() {
        DataType type = u.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("u has data type " + type + "; the selective scan takes FLOAT or"
                    + " DOUBLE inputs");
        }
        String[] names = {"delta", "A", "B", "C", "D", "z", "delta_bias"};
        INDArray[] arrays = {delta, a, b, c, d, z, deltaBias};
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] != null && arrays[i].dataType() != type) {
                throw new IllegalArgumentException(names[i] + " has data type " + arrays[i].dataType()
                        + " (shape " + Arrays.toString(arrays[i].shape()) + "), expected " + type + " like u");
            }
        }
        return type;
    }

    /**
     * The same inputs with every array contiguous in c order: the arrays themselves where they already are (no
     * copy), c-ordered copies otherwise. Keep the result reachable while buffers over it are in use.
     */
    public ScanArrays contiguous() {
        return new ScanArrays(c(u), c(delta), c(a), c(b), c(c), c(d), c(z), c(deltaBias), deltaSoftplus);
    }

    /**
     * Zero-copy float buffers over the arrays, which must be FLOAT and contiguous ({@link #contiguous()}). The
     * buffers do not keep the arrays alive: keep this object reachable while they are used.
     *
     * @throws IllegalArgumentException when an input is not FLOAT or not contiguous
     */
    public ScanBuffers floatBuffers() {
        ScanShape s = shape();
        return new ScanBuffers(s, floats(u), floats(delta), floats(a), floats(b), floats(c), floats(d), floats(z),
                floats(deltaBias), deltaSoftplus);
    }

    /** Copies of the values as float host arrays. */
    public ScanInputs toFloatInputs() {
        ScanShape s = shape();
        return new ScanInputs(s, f(u), f(delta), f(a), f(b), f(c), f(d), f(z), f(deltaBias), deltaSoftplus);
    }

    /** Copies of the values as double host arrays. */
    public DoubleScanInputs toDoubleInputs() {
        ScanShape s = shape();
        return new DoubleScanInputs(s, dbl(u), dbl(delta), dbl(a), dbl(b), dbl(c), dbl(d), dbl(z), dbl(deltaBias),
                deltaSoftplus);
    }

    private static ScanShapes.Input input(String name, INDArray array) {
        return array == null ? null : new ScanShapes.Input(name, array.shape());
    }

    private static INDArray c(INDArray array) {
        return array == null ? null : DenseArrays.dense(array);
    }

    private static java.nio.FloatBuffer floats(INDArray array) {
        return array == null ? null : DenseArrays.floats(array);
    }

    private static float[] f(INDArray array) {
        return array == null ? null : DenseArrays.toFloats(array);
    }

    private static double[] dbl(INDArray array) {
        return array == null ? null : DenseArrays.toDoubles(array);
    }
}
