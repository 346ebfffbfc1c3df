package io.seqbench.kernels.cuda;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoctorTest {

    static CudaDeviceInfo gpu(String name, int major, int minor) {
        return new CudaDeviceInfo(0, name, major, minor, 132, 1980000, 3201000, 6144, 62914560, 232448,
                150_000_000_000L, 13000);
    }

    @Test
    void hopper_runsOurKernels_notNd4jCuda() {
        Doctor.Gpu g = Doctor.assess(gpu("NVIDIA H200", 9, 0), true);
        assertFalse(g.nd4jCuda());
        assertTrue(g.nd4jCudaWhy().contains("3.7-8.6"), g.nd4jCudaWhy());
        assertTrue(g.seqbenchKernels());
    }

    @Test
    void ampereAndAda_runBoth() {
        for (int[] cc : new int[][]{{8, 0}, {8, 6}, {8, 9}}) {
            Doctor.Gpu g = Doctor.assess(gpu("x", cc[0], cc[1]), true);
            assertTrue(g.nd4jCuda(), "nd4j on " + cc[0] + "." + cc[1]);
            assertTrue(g.seqbenchKernels(), "ours on " + cc[0] + "." + cc[1]);
        }
    }

    @Test
    void volta_runsNd4jCudaOnly() {
        Doctor.Gpu g = Doctor.assess(gpu("V100", 7, 0), true);
        assertTrue(g.nd4jCuda());
        assertFalse(g.seqbenchKernels());
        assertTrue(g.seqbenchWhy().contains("8.0"));
    }

    @Test
    void newerThanHopper_runsOurPtxOnly() {
        Doctor.Gpu g = Doctor.assess(gpu("B200", 10, 0), true);
        assertFalse(g.nd4jCuda());
        assertTrue(g.seqbenchKernels());
        assertTrue(g.seqbenchWhy().contains("PTX"));
    }

    @Test
    void notBuilt_saysSoForEveryGpu() {
        Doctor.Gpu g = Doctor.assess(gpu("NVIDIA H200", 9, 0), false);
        assertFalse(g.seqbenchKernels());
        assertTrue(g.seqbenchWhy().contains("not built"));
    }

    @Test
    void recommendations_hopperOnCpuBackend_pointToImplCuda() {
        List<Doctor.Gpu> gpus = List.of(Doctor.assess(gpu("NVIDIA H200", 9, 0), true));
        List<String> r = Doctor.recommendations("org.nd4j.linalg.cpu.nativecpu.CpuBackend", gpus,
                new CudaStatus(CudaStatus.Kind.AVAILABLE, "ok"));
        assertTrue(r.stream().anyMatch(s -> s.contains("--impl cuda")), r.toString());
        assertTrue(r.stream().anyMatch(s -> s.contains("cannot run on this GPU")), r.toString());
    }

    @Test
    void recommendations_ampereOnCpuBackend_suggestPcuda() {
        List<Doctor.Gpu> gpus = List.of(Doctor.assess(gpu("A100", 8, 0), true));
        List<String> r = Doctor.recommendations("org.nd4j.linalg.cpu.nativecpu.CpuBackend", gpus,
                new CudaStatus(CudaStatus.Kind.AVAILABLE, "ok"));
        assertTrue(r.stream().anyMatch(s -> s.contains("-Pcuda") && s.contains("libcublas.so.11")), r.toString());
    }

    @Test
    void recommendations_noGpu_notBuilt() {
        List<String> r = Doctor.recommendations("ND4J is not on the class path", List.of(),
                new CudaStatus(CudaStatus.Kind.NOT_BUILT, "not built"));
        assertTrue(r.stream().anyMatch(s -> s.contains("nvcc")), r.toString());
        assertTrue(r.stream().anyMatch(s -> s.contains("No GPU")), r.toString());
    }

    @Test
    void report_onThisMachine_rendersWithoutThrowing() {
        Doctor.Report r = Doctor.report();
        assertFalse(r.text().isBlank());
        assertTrue(r.cpuCores() > 0);
        assertFalse(Json.write(r.toMap()).isBlank());
    }
}
