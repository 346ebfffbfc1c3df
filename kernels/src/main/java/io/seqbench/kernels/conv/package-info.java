/**
 * Depthwise causal dilated 1-D convolution as a Java op with its own backward pass.
 *
 * <p>Per sequence, channel c and position t, with kernel size k and dilation δ:
 * <pre>
 *   y[t, c] = bias[c] + Σ_{j=0}^{k−1} w[j, c] · x[t − (k−1−j)·δ, c]        x[s, c] = 0 for s &lt; 0
 * </pre>
 * so tap k−1 sees the current position and tap 0 the one (k−1)·δ back (a cross-correlation with left zero
 * padding, as PyTorch's {@code Conv1d(groups=channels, padding=(k−1)·δ)} followed by dropping the last (k−1)·δ
 * outputs).
 *
 * <p>Why a Java op: ND4J 1.0.0-M2.1's {@code depthWiseConv2d} on a left-padded input computes the same function
 * with correct gradients (checked in double), but slowly: in a small graph (one convolution and a sum of
 * squares) at (16, 256, 128), k = 4, one forward and backward took about 265 ms of CPU with it and about 25 ms
 * with this op (one thread, on a loaded 2-core machine); a conv-mixer training step was about five times the
 * LSTM's with it and about equal with this op.
 *
 * <p>Classes: {@link io.seqbench.kernels.conv.CausalConvOp}, {@link io.seqbench.kernels.conv.CausalConvBackwardOp},
 * both running {@link io.seqbench.kernels.conv.CausalConvKernel}, and
 * {@link io.seqbench.kernels.conv.CausalConvReference}, the plain reference they are tested against.
 */
package io.seqbench.kernels.conv;
