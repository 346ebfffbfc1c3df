/** Layers shared by the backbone and the mixers, each with a graph form and an eager one-token form. */
package io.seqbench.architectures.nn;
