package io.seqbench.kernels.cuda;

import org.junit.jupiter.api.Test;

import static io.seqbench.kernels.cuda.ScanDispatch.Backend;
import static io.seqbench.kernels.cuda.ScanDispatch.Target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanDispatchTest {

    static final CudaStatus READY = new CudaStatus(CudaStatus.Kind.AVAILABLE, "GPU 0: NVIDIA A100");
    static final CudaStatus NOT_BUILT = new CudaStatus(CudaStatus.Kind.NOT_BUILT, "not built: nvcc was missing");

    @Test
    void cudaBackend_readyKernels_float32Dense_runsOnGpu() {
        assertEquals(Target.CUDA, ScanDispatch.decide(Backend.CUDA, READY, true, true, 32, null).target());
        assertEquals(Target.CUDA, ScanDispatch.decide(Backend.CUDA, READY, true, true, 32, "cuda").target());
    }

    @Test
    void cpuBackend_runsOnCpu_evenWithAGpu() {
        ScanDispatch.Decision d = ScanDispatch.decide(Backend.CPU, READY, true, true, 32, "auto");
        assertEquals(Target.CPU, d.target());
        assertTrue(d.reason().contains("CPU backend"));
    }

    @Test
    void everyFallback_saysWhy() {
        assertTrue(ScanDispatch.decide(Backend.CUDA, NOT_BUILT, true, true, 32, null).reason().contains("not built"));
        assertTrue(ScanDispatch.decide(Backend.CUDA, READY, false, true, 32, null).reason().contains("float32"));
        assertTrue(ScanDispatch.decide(Backend.CUDA, READY, true, false, 32, null).reason().contains("strided"));
        assertEquals(Target.CPU, ScanDispatch.decide(Backend.CUDA, READY, true, true, 32, "cpu").target());
        assertTrue(ScanDispatch.decide(Backend.CUDA, READY, true, true, 256, null).reason().contains("every 256"));
    }

    @Test
    void cudaRequested_butImpossible_fails() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ScanDispatch.decide(Backend.CUDA, NOT_BUILT, true, true, 32, "cuda"));
        assertTrue(e.getMessage().contains("not built"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ScanDispatch.decide(Backend.CPU, READY, true, true, 32, "cuda"));
    }

    @Test
    void unknownMode_rejectedWithAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScanDispatch.decide(Backend.CUDA, READY, true, true, 32, "gpu"));
        assertTrue(e.getMessage().contains("auto, cpu, cuda"), e.getMessage());
    }
}
