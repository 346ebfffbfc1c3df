/** Normalisation layers as Java ops with their own backward passes (RMSNorm). */
package io.seqbench.kernels.norm;
