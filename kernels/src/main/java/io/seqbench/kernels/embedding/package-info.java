/** Token embedding as a Java op with a correct backward pass (ND4J M2.1's gather backward crashes). */
package io.seqbench.kernels.embedding;
