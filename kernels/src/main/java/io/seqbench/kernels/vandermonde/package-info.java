/**
 * The convolution kernel of a diagonal state space model (S4D) by a Vandermonde product, as a Java op with its
 * backward; {@link io.seqbench.kernels.vandermonde.VandermondeKernels} holds the arithmetic and a reference by
 * complex logarithms.
 */
package io.seqbench.kernels.vandermonde;
