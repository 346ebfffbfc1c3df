/** The Mamba (S6) block on SeqBench's fused selective-scan op. */
package io.seqbench.architectures.mamba;
