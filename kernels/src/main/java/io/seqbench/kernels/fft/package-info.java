/**
 * Causal convolution by FFT (JTransforms) as a Java op with its backward, for S4's convolution mode; ND4J
 * 1.0.0-M2.1 has no FFT. {@link io.seqbench.kernels.fft.CausalConvolutions} holds the arithmetic and its direct
 * O(L²) reference.
 */
package io.seqbench.kernels.fft;
