/**
 * The model side of SeqBench: the {@link io.seqbench.architectures.Mixer} contract, the one shared
 * {@link io.seqbench.architectures.Backbone}, deterministic {@link io.seqbench.architectures.Parameters} and the
 * registry {@link io.seqbench.architectures.Architectures}, keyed by the spec's {@code model.type}.
 *
 * <p>Shapes: B batch, L length, d = d_model, V vocabulary.
 */
package io.seqbench.architectures;
