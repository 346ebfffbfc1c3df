package io.seqbench.architectures;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The named trainable arrays of one model, created with deterministic initial values.
 *
 * <p>Each parameter's initial values come from its own random stream, derived from the model seed and the
 * parameter's name, and are drawn in Java (not by ND4J's RNG). So initialisation is identical across runs,
 * thread counts and the order in which modules create their parameters, and adding a parameter never changes
 * another's values. SameDiff graphs built from these parameters hold the same array objects, so an update
 * applied in place is seen by every graph of the model.
 */
public final class Parameters {
    private final long seed;
    private final DataType dataType;
    private final Map<String, INDArray> arrays = new LinkedHashMap<>();

    public Parameters(long seed, DataType dataType) {
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("parameters must be FLOAT or DOUBLE, got " + dataType);
        }
        this.seed = seed;
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /**
     * Creates a parameter and fills it.
     *
     * @param name  unique name, conventionally a dotted path such as {@code layers.0.mixer.w_in}
     * @param init  how to fill it
     * @param shape its shape
     * @return the new array (owned by this store)
     */
    public INDArray create(String name, Init init, long... shape) {
        if (arrays.containsKey(name)) {
            throw new IllegalArgumentException("parameter " + name + " already exists");
        }
        long n = 1;
        for (long s : shape) {
            if (s <= 0) {
                throw new IllegalArgumentException("parameter " + name + " has a non-positive dimension: "
                        + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, s);
        }
        double[] values = new double[Math.toIntExact(n)];
        init.fill(values, new SplittableRandom(streamSeed(name)));
        // dup: a dense array that owns its buffer (SameDiff copies views, which would break sharing)
        INDArray array = Nd4j.createFromArray(values).castTo(dataType).reshape('c', shape).dup('c');
        arrays.put(name, array);
        return array;
    }

    /** The parameter called {@code name}. */
    public INDArray get(String name) {
        INDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return a;
    }

    /** All parameters in creation order (read-only view; the arrays themselves are live). */
    public Map<String, INDArray> all() {
        return Collections.unmodifiableMap(arrays);
    }

    /** Total number of scalar parameters. */
    public long count() {
        long n = 0;
        for (INDArray a : arrays.values()) {
            n += a.length();
        }
        return n;
    }

    /** Number of scalar parameters whose names start with {@code prefix}. */
    public long count(String prefix) {
        long n = 0;
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                n += e.getValue().length();
            }
        }
        return n;
    }

    private long streamSeed(String name) {
        long z = seed * 0x9E3779B97F4A7C15L + name.hashCode() + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
