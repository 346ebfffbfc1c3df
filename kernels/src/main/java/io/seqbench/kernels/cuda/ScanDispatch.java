package io.seqbench.kernels.cuda;

import java.util.Locale;

/**
 * Where the SameDiff selective-scan op runs a call: the decision only, from plain facts, so that it is tested on
 * a CPU-only build (the launching half lives in the {@code -Pcuda} executioner).
 *
 * <p>The op runs SeqBench's CUDA kernel on ND4J's device buffers when ND4J runs on its CUDA backend (built with
 * {@code -Pcuda}), the kernels can run on the GPU (built, driver, compute capability 8.0+), and the arrays are
 * float32 and dense; otherwise it runs the CPU implementation on host copies, and the decision's reason says
 * why (a GPU run never falls back silently). The system property {@value #PROPERTY} ({@code auto}, {@code cpu},
 * {@code cuda}) overrides: {@code cuda} turns every fallback into an error.
 *
 * <p>Which GPUs this targets: ND4J's CUDA backend (nd4j-cuda-11.6 1.0.0-M2.1) has machine code for compute
 * capability 3.7-8.6 and no PTX, and SeqBench's kernels need 8.0 or newer, so the path runs on 8.0-8.9 (A100,
 * A10/A40, RTX 30xx/40xx, L4/L40). On Hopper (H100/H200) ND4J's CUDA backend cannot start; there the kernels run
 * through {@link CudaSelectiveScan} without ND4J.
 */
public final class ScanDispatch {

    /** System property choosing the implementation: auto (default), cpu or cuda. */
    public static final String PROPERTY = "seqbench.scan.device";

    private ScanDispatch() {
    }

    /** Where a call runs. */
    public enum Target {
        /** The CPU implementation, on host arrays (on the CUDA backend: after copying device data to the host). */
        CPU,
        /** SeqBench's CUDA kernels on ND4J's device buffers. */
        CUDA
    }

    /** What the executioner knows about ND4J. */
    public enum Backend {
        /** nd4j-native. */
        CPU,
        /** nd4j-cuda (the -Pcuda build). */
        CUDA
    }

    /**
     * A decision and its reason.
     *
     * @param target where the call runs
     * @param reason one line, for logs and run records
     */
    public record Decision(Target target, String reason) {
    }

    /**
     * Decides where one call runs.
     *
     * @param backend     ND4J's backend
     * @param kernels     the CUDA path's status in this process
     * @param float32     every array of the call is float32
     * @param dense       every array is dense, C order, at offset 0 of its buffer (what the kernels read)
     * @param chunkLength the op's checkpoint interval (the kernels need {@link ScanGeometry#CHUNK})
     * @param requested   the {@value #PROPERTY} value (null or blank: auto)
     * @throws IllegalStateException when {@code cuda} is requested but cannot run, naming why
     */
    public static Decision decide(Backend backend, CudaStatus kernels, boolean float32, boolean dense,
                                  int chunkLength, String requested) {
        String mode = requested == null || requested.isBlank() ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("cpu") && !mode.equals("cuda")) {
            throw new IllegalArgumentException(PROPERTY + " is '" + requested + "'; allowed: auto, cpu, cuda");
        }
        if (mode.equals("cpu")) {
            return new Decision(Target.CPU, PROPERTY + "=cpu");
        }
        String why = null;
        if (backend != Backend.CUDA) {
            why = "ND4J runs on its CPU backend (arrays live in host memory)";
        } else if (!kernels.available()) {
            why = "SeqBench's CUDA kernels cannot run: " + kernels.message();
        } else if (!float32) {
            why = "the kernels are float32 and an array of this call is not";
        } else if (!dense) {
            why = "the kernels read dense C-order arrays and an array of this call is a strided view";
        } else if (chunkLength != ScanGeometry.CHUNK) {
            why = "the op saves states every " + chunkLength + " steps; the kernels need " + ScanGeometry.CHUNK;
        }
        if (why == null) {
            return new Decision(Target.CUDA, "ND4J CUDA backend, kernels available, float32 dense arrays");
        }
        if (mode.equals("cuda")) {
            throw new IllegalStateException(PROPERTY + "=cuda, but the scan cannot run on the GPU: " + why);
        }
        return new Decision(Target.CPU, why);
    }

    /** {@link #decide} with the property read from the system. */
    public static Decision decide(Backend backend, CudaStatus kernels, boolean float32, boolean dense,
                                  int chunkLength) {
        return decide(backend, kernels, float32, dense, chunkLength, System.getProperty(PROPERTY));
    }
}
