/**
 * The selective scan (Mamba's S6 recurrence): contract types, the double-precision reference, the fused CPU
 * kernel, its SameDiff ops, a composite baseline made of stock ND4J ops, and the file interface.
 *
 * <h2>Contract</h2>
 * The semantics are those of {@code selective_scan_fn} in the official Mamba code, so results can be compared
 * with it array for array. Inputs are dense, row-major (C order):
 * <ul>
 *   <li>{@code u} (batch, channels, length) and {@code delta} (batch, channels, length);</li>
 *   <li>{@code A} (channels, state), real;</li>
 *   <li>{@code B} and {@code C}: (batch, state, length), or (batch, groups, state, length) with channels divisible
 *       by groups; channel d reads group d / (channels / groups);</li>
 *   <li>optional {@code D} (channels), {@code z} (batch, channels, length), {@code delta_bias} (channels), and the
 *       flag {@code delta_softplus}.</li>
 * </ul>
 *
 * <h2>Math</h2>
 * For each batch b, channel d, state n and step t = 0 … length−1:
 * <pre>
 *   Δ_t   = delta[b,d,t] + delta_bias[d]            (delta_bias = 0 when absent)
 *   Δ_t   = softplus(Δ_t) = log(1 + exp(Δ_t))       (only when delta_softplus)
 *   Ā_t,n = exp(Δ_t · A[d,n])                       (zero-order-hold discretisation of A)
 *   h_t,n = Ā_t,n · h_{t−1},n + Δ_t · B[b,g,n,t] · u[b,d,t],   h_{−1} = 0
 *   y_t   = Σ_n C[b,g,n,t] · h_t,n
 *   out_t = (y_t + D[d] · u[b,d,t]) · silu(z[b,d,t])  (no D term without D, no gate without z)
 * </pre>
 * with silu(x) = x·σ(x). The B̄ = Δ·B discretisation of the input matrix is the simplified (Euler) one the
 * official kernel uses. The last state is h_{length−1} (batch, channels, state).
 *
 * <p>The backward pass carries the adjoint g_t = ∂L/∂h_t backwards in time, g_t = Ā_{t+1} g_{t+1} + dy_t C_t
 * (dy is d(out) through the gate), and reads off every gradient from it:
 * <pre>
 *   dC[n,t] += dy_t h_t,n          dB[n,t] += g_t,n Δ_t u_t       dA[d,n] += g_t,n Δ_t Ā_t,n h_{t−1},n
 *   du_t  = D dy_t + Δ_t Σ_n g_t,n B_t,n
 *   dΔ_t  = Σ_n g_t,n (A_n Ā_t,n h_{t−1},n + B_t,n u_t)      ddelta = dΔ·σ(raw) with softplus, else dΔ
 *   dD   += dy_t u_t                dz_t = d(out)_t (y_t + D u_t) silu'(z_t)   ddelta_bias[d] = Σ ddelta
 * </pre>
 * (dB and dC sum over the channels of a group.)
 *
 * <h2>Implementations</h2>
 * <ul>
 *   <li>{@link io.seqbench.kernels.scan.SelectiveScanReference}: sequential, double precision, the oracle;</li>
 *   <li>{@link io.seqbench.kernels.scan.FusedSelectiveScan}: the fused float32 CPU kernel (SIMD through the
 *       incubating Vector API, multi-threaded, checkpoints and recomputation in the backward);</li>
 *   <li>{@link io.seqbench.kernels.scan.CompositeSelectiveScan}: stock ND4J ops on materialised tensors, the
 *       baseline of the benchmarks;</li>
 *   <li>{@link io.seqbench.kernels.scan.SelectiveScanOp} and
 *       {@link io.seqbench.kernels.scan.SelectiveScanBackwardOp}: the scan inside SameDiff graphs (FLOAT: fused,
 *       DOUBLE: reference);</li>
 *   <li>{@link io.seqbench.kernels.scan.ScanFiles}: the scan on .npy files, for comparisons with PyTorch;
 *       {@link io.seqbench.kernels.scan.ScanImpl} names the implementations a user can choose.</li>
 * </ul>
 * Inputs are validated by {@link io.seqbench.kernels.scan.ScanShapes}: a wrong shape or data type is reported
 * with the input's name, its shape and the shape expected.
 *
 * <h2>Glossary (paper symbol ↔ code name)</h2>
 * <table>
 *   <caption>Symbols of the Mamba paper and their names in this package</caption>
 *   <tr><th>paper</th><th>code</th><th>meaning</th></tr>
 *   <tr><td>B (batch)</td><td>{@code batch}, b</td><td>number of sequences</td></tr>
 *   <tr><td>D</td><td>{@code channels}, d</td><td>channels scanned independently (Mamba's d_inner)</td></tr>
 *   <tr><td>L</td><td>{@code length}, t</td><td>sequence length, time step</td></tr>
 *   <tr><td>N</td><td>{@code state}, n</td><td>state size per channel (d_state)</td></tr>
 *   <tr><td>x</td><td>{@code u}</td><td>input sequence</td></tr>
 *   <tr><td>Δ</td><td>{@code delta}, {@code deltaBias}, {@code deltaSoftplus}</td><td>step size</td></tr>
 *   <tr><td>A, Ā</td><td>{@code a}; {@code decay}</td><td>continuous / discretised state matrix (diagonal)</td></tr>
 *   <tr><td>B, C</td><td>{@code b}, {@code c}</td><td>input and output matrices, functions of the input</td></tr>
 *   <tr><td>D</td><td>{@code d}</td><td>skip connection</td></tr>
 *   <tr><td>z</td><td>{@code z}</td><td>gate branch (SiLU-gated output)</td></tr>
 *   <tr><td>h</td><td>{@code h}, {@code lastState}</td><td>hidden state</td></tr>
 *   <tr><td>y</td><td>{@code out}</td><td>output</td></tr>
 * </table>
 * (Code spells the batch size "batch" and the skip "D"/{@code d}; the paper's D is the channel count.)
 */
package io.seqbench.kernels.scan;
