package io.seqbench.architectures;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A sequence mixer: the part of a block that moves information along the sequence, and the only part that
 * differs between architecture families. The {@link Backbone} wraps each mixer in norm → mixer → residual.
 *
 * <p>A mixer owns the parameters it created under its {@link #prefix()}. It has two equivalent forms: the
 * parallel {@link #forward} over a whole sequence inside a SameDiff graph (training, evaluation, prefill), and
 * the recurrent {@link #step} over one token at a time (generation). Both compute the same function; a test over
 * the registry checks it for every family.
 */
public interface Mixer {

    /** Name prefix of this mixer's parameters, e.g. {@code layers.0.mixer.}. */
    String prefix();

    /**
     * Builds the mixer into the graph.
     *
     * @param g the graph (batch B, length L)
     * @param x (B, L, d_model) input, already normalised
     * @return (B, L, d_model); output at position t depends only on inputs at positions ≤ t
     */
    SDVariable forward(Graph g, SDVariable x);

    /**
     * Inference state per sequence, in scalars, after {@code contextLength} tokens: constant for recurrent
     * models, growing for attention's KV cache.
     */
    long stateSize(int contextLength);

    /** Whether {@link #forward} can run at this sequence length (e.g. learned positions have a maximum). */
    default boolean supportsLength(int length) {
        return true;
    }

    /** A fresh recurrent state for {@code batch} sequences, as before the first token. */
    MixerState initialState(int batch);

    /**
     * Advances the state by one token.
     *
     * @param state the state from {@link #initialState} or the previous step; updated in place
     * @param x     (batch, d_model) the normalised input at the current position
     * @return (batch, d_model) the mixer output at the current position
     */
    INDArray step(MixerState state, INDArray x);
}
