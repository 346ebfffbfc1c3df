/**
 * NumPy .npy files: {@link io.seqbench.kernels.npy.Npy} reads and writes them, {@link
 * io.seqbench.kernels.npy.NpyArray} holds one array. Little-endian float32, float64, int32 and int64 in C
 * order; versions 1.0–3.0. Used by the selective scan's file interface to exchange arrays with PyTorch/NumPy.
 */
package io.seqbench.kernels.npy;
