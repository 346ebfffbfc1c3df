package io.seqbench.architectures;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The graph a model is being built into, at a fixed batch size and sequence length.
 *
 * <p>Every parameter of the model is already a variable of {@code sd} under its own name when mixers are
 * asked to build themselves, so {@link #param} is a lookup.
 *
 * @param sd       the SameDiff graph
 * @param batch    B, sequences per batch
 * @param length   L, tokens per sequence
 * @param dataType the floating-point type of activations (FLOAT, or DOUBLE for gradient checks)
 */
public record Graph(SameDiff sd, int batch, int length, DataType dataType) {

    /** The variable of parameter {@code name}. */
    public SDVariable param(String name) {
        SDVariable v = sd.getVariable(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter named " + name + " in the graph");
        }
        return v;
    }

    /** A scalar constant of the graph's type. */
    public SDVariable scalar(double value) {
        return sd.constant(value).castTo(dataType);
    }
}
