package io.seqbench.architectures;

/**
 * What a mixer factory needs to know about where its mixer sits.
 *
 * @param dModel     width of the residual stream
 * @param layer      index of the block, from 0
 * @param layers     number of blocks (for depth-scaled initialisation)
 * @param maxLength  the longest sequence the model is built for (learned positions size their table by it)
 * @param parameters the model's parameter store; the mixer creates its parameters here under {@link #prefix()}
 */
public record MixerContext(int dModel, int layer, int layers, int maxLength, Parameters parameters) {

    /** The name prefix of this mixer's parameters. */
    public String prefix() {
        return "layers." + layer + ".mixer.";
    }
}
