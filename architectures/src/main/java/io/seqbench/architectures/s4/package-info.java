/**
 * The S4 family: S4D, a diagonal structured state space model with one SISO SSM per channel
 * ({@link io.seqbench.architectures.s4.S4Mixer}), its initialisations of A and B
 * ({@link io.seqbench.architectures.s4.StateMatrixInit}, from HiPPO-LegS in
 * {@link io.seqbench.architectures.s4.HippoLegS}) and its discretizations
 * ({@link io.seqbench.architectures.s4.Discretization}).
 *
 * <p>Symbols: H channels (= d_model), N state size per channel, M = N/2 stored complex modes, L length, Δ step,
 * A, B, C, D the continuous SSM, Ā, B̄ its discretization, K the convolution kernel.
 */
package io.seqbench.architectures.s4;
