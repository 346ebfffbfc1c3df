/**
 * The GRU recurrence as a Java op with its own backward pass (ND4J 1.0.0-M2.1's {@code sd.rnn.gru} has a wrong
 * gradient).
 *
 * <p>Gate convention (PyTorch's {@code nn.GRU}, Cho et al., 2014 with the reset gate applied after the recurrent
 * product). Per sequence and position t, with h_0 = 0 and the input already projected,
 * xp_t = x_t W + b_i split into blocks (xp_r, xp_z, xp_n):
 * <pre>
 *   a_t = h_{t−1} U + b_h                      U (d, 3d), b_h (3d), blocks (a_r, a_z, a_n)
 *   r_t = σ(xp_r + a_r)                        reset gate
 *   z_t = σ(xp_z + a_z)                        update gate
 *   n_t = tanh(xp_n + r_t ⊙ a_n)               candidate; a_n = h_{t−1} U_n + b_hn
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
 * </pre>
 *
 * <p>Glossary (Cho et al. ↔ PyTorch ↔ code): W_r, W_z, W ↔ W_ir, W_iz, W_in ↔ the three column blocks of the
 * input projection (outside the op); U_r, U_z, U ↔ W_hr, W_hz, W_hn ↔ {@code u}; b_ir, b_iz, b_in ↔
 * the input bias folded into {@code xp}; b_hr, b_hz, b_hn ↔ {@code bh}; r, z, h̃ ↔ r, z, n.
 *
 * <p>Classes: {@link io.seqbench.kernels.rnn.GruOp} (forward: xp, u, bh → h),
 * {@link io.seqbench.kernels.rnn.GruBackwardOp} (backpropagation through time), both running
 * {@link io.seqbench.kernels.rnn.GruKernel}, and {@link io.seqbench.kernels.rnn.GruReference}, the sequential
 * double-precision reference they are tested against.
 */
package io.seqbench.kernels.rnn;
