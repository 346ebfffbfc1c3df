package io.seqbench.architectures;

/**
 * The recurrent state a {@link Mixer} carries from one generated token to the next. Each mixer defines its own
 * (an LSTM's (h, c), a Transformer's KV cache, an SSM's hidden state and convolution window).
 */
public interface MixerState {

    /** Scalars held per sequence right now (for a KV cache, grows with the tokens seen). */
    long elementsPerSequence();
}
