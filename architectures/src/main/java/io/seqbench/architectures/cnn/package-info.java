/** Convolutional mixers: a gated stack of dilated depthwise causal convolutions (H3/Hyena-lite, WaveNet-style). */
package io.seqbench.architectures.cnn;
