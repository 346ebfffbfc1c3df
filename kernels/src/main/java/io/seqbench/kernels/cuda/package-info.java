/**
 * The selective scan on NVIDIA GPUs: SeqBench's own fused CUDA kernels ({@code kernels/src/main/cuda}), launched
 * through the CUDA driver API (JCuda), with no ND4J on this path.
 *
 * <ul>
 *   <li>{@link io.seqbench.kernels.cuda.CudaSelectiveScan}: forward and backward on host arrays
 *       ({@code ScanInputs}), the contract of {@code io.seqbench.kernels.scan}; {@link
 *       io.seqbench.kernels.cuda.CudaScanImplementation} is the same as a {@code ScanImplementation}.</li>
 *   <li>{@link io.seqbench.kernels.cuda.ScanWorkspace} and {@link io.seqbench.kernels.cuda.ScanKernels}: device
 *       arrays and launches on device addresses; {@link io.seqbench.kernels.cuda.ScanGeometry}: how a shape is
 *       launched (pure logic, unit-tested).</li>
 *   <li>{@link io.seqbench.kernels.cuda.CudaStatus}: whether the kernels can run here and why not (not built, no
 *       driver, no GPU, GPU older than compute capability 8.0); {@link io.seqbench.kernels.cuda.Doctor}: what this
 *       machine can run, for {@code seqbench doctor}.</li>
 *   <li>{@link io.seqbench.kernels.cuda.CudaScanVerification} and {@link io.seqbench.kernels.cuda.CudaScanBenchmark}:
 *       command-line programs for a GPU machine (check against the CPU reference; time with CUDA events).</li>
 *   <li>{@link io.seqbench.kernels.cuda.ScanDispatch} and {@link io.seqbench.kernels.cuda.CudaScanOps}: the SameDiff
 *       scan op's device path when ND4J runs on its CUDA backend ({@code -Pcuda}, compute capability 8.0-8.9).</li>
 * </ul>
 *
 * <p>Kernel glossary (as in the CUDA source): a block owns one batch row and {@code CT} channels of one B/C group;
 * each channel is handled by {@code P} lanes keeping {@code NS} states each; time is cut into chunks of
 * {@link io.seqbench.kernels.cuda.ScanGeometry#CHUNK} steps; the forward can save the state entering each chunk
 * ("carries", the CPU op's checkpoints at that chunk length) for the backward, which recomputes the states.
 * Results and the exact commands: {@code docs/benchmarks/scan-gpu.md}.
 */
package io.seqbench.kernels.cuda;
