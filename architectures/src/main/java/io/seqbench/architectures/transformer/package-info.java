/**
 * Attention mixers: causal multi-head self-attention with learned, sinusoidal or rotary positions, and its
 * KV-cache generation form. See docs/architectures/transformer.md.
 */
package io.seqbench.architectures.transformer;
