package io.seqbench.kernels.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this machine can run, for {@code seqbench doctor}: the ND4J backend in use, the CPU, each GPU with its
 * compute capability, whether ND4J's CUDA backend and SeqBench's own CUDA kernels can run on it, and what to
 * install or change otherwise. The GPU part goes through the CUDA driver (JCuda) and never loads ND4J; ND4J is
 * only asked for its backend, by reflection, when it is on the class path.
 */
public final class Doctor {

    /** Compute capabilities nd4j-cuda-11.6 1.0.0-M2.1 ships machine code for (and no PTX). */
    static final int[] ND4J_CUDA_BINARIES = {37, 50, 52, 60, 61, 70, 75, 80, 86};

    private Doctor() {
    }

    /**
     * One GPU and what can run on it.
     *
     * @param device          the driver's description
     * @param nd4jCuda        whether ND4J's CUDA backend (nd4j-cuda-11.6) has code for it
     * @param nd4jCudaWhy     one line of explanation
     * @param seqbenchKernels whether SeqBench's CUDA kernels can run on it
     * @param seqbenchWhy     one line of explanation
     */
    public record Gpu(CudaDeviceInfo device, boolean nd4jCuda, String nd4jCudaWhy, boolean seqbenchKernels,
                      String seqbenchWhy) {
    }

    /**
     * The report.
     *
     * @param nd4jBackend     the ND4J backend in use (or why it is unknown)
     * @param cpuModel        from /proc/cpuinfo (or the JVM's os.arch)
     * @param cpuCores        processors the JVM sees
     * @param gpus            every GPU the driver reports
     * @param cuda            the status of SeqBench's CUDA path in this process
     * @param recommendations what to install or change, one line each
     */
    public record Report(String nd4jBackend, String cpuModel, int cpuCores, List<Gpu> gpus, CudaStatus cuda,
                         List<String> recommendations) {

        /** A human-readable rendering. */
        public String text() {
            StringBuilder sb = new StringBuilder();
            sb.append("ND4J backend:     ").append(nd4jBackend).append('\n');
            sb.append("CPU:              ").append(cpuModel).append(", ").append(cpuCores).append(" cores\n");
            if (gpus.isEmpty()) {
                sb.append("GPUs:             none found (").append(cuda.message()).append(")\n");
            }
            for (Gpu g : gpus) {
                CudaDeviceInfo d = g.device();
                sb.append("GPU ").append(d.ordinal()).append(":            ").append(d.name()).append(", compute capability ")
                        .append(d.computeCapabilityText()).append(", ").append(d.totalMemoryBytes() >> 20)
                        .append(" MiB, driver CUDA ").append(d.driverVersionText()).append('\n');
                sb.append("  ND4J CUDA backend: ").append(g.nd4jCuda() ? "yes" : "no").append(" - ")
                        .append(g.nd4jCudaWhy()).append('\n');
                sb.append("  SeqBench kernels:  ").append(g.seqbenchKernels() ? "yes" : "no").append(" - ")
                        .append(g.seqbenchWhy()).append('\n');
            }
            sb.append("SeqBench CUDA path: ").append(cuda.kind()).append(" - ").append(cuda.message()).append('\n');
            for (String r : recommendations) {
                sb.append("* ").append(r).append('\n');
            }
            return sb.toString();
        }

        /** The report as JSON ({@link #toMap()}). */
        public String json() {
            return Json.write(toMap());
        }

        /** The report as plain data (for JSON). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("nd4j_backend", nd4jBackend);
            m.put("cpu_model", cpuModel);
            m.put("cpu_cores", cpuCores);
            List<Object> gl = new ArrayList<>();
            for (Gpu g : gpus) {
                Map<String, Object> gm = new LinkedHashMap<>(CudaScanVerification.deviceMap(g.device()));
                gm.put("nd4j_cuda_backend_can_run", g.nd4jCuda());
                gm.put("nd4j_cuda_backend_why", g.nd4jCudaWhy());
                gm.put("seqbench_kernels_can_run", g.seqbenchKernels());
                gm.put("seqbench_kernels_why", g.seqbenchWhy());
                gl.add(gm);
            }
            m.put("gpus", gl);
            m.put("seqbench_cuda_status", cuda.kind().name());
            m.put("seqbench_cuda_message", cuda.message());
            m.put("recommendations", recommendations);
            return m;
        }
    }

    /** Probes this machine. */
    public static Report report() {
        CudaStatus status = CudaStatus.probe();
        List<Gpu> gpus = new ArrayList<>();
        for (CudaDeviceInfo d : CudaDriver.devices()) {
            gpus.add(assess(d, KernelImage.isBuilt()));
        }
        String backend = nd4jBackend();
        return new Report(backend, cpuModel(), Runtime.getRuntime().availableProcessors(), gpus, status,
                recommendations(backend, gpus, status));
    }

    /** Whether each side can run on {@code d}. Pure logic. */
    static Gpu assess(CudaDeviceInfo d, boolean kernelsBuilt) {
        int cc = d.computeCapability();
        boolean nd4j = nd4jCudaRuns(cc);
        String nd4jWhy;
        if (nd4j) {
            nd4jWhy = "its binary has code for " + (cc == 89 ? "8.6, which runs on 8.9 (same major version)"
                    : d.computeCapabilityText()) + "; it also needs the CUDA 11.x libraries (libcublas.so.11,"
                    + " libcusolver.so.11) and a SeqBench build with -Pcuda";
        } else if (cc >= 90) {
            nd4jWhy = "nd4j-cuda-11.6 has machine code for 3.7-8.6 only and no PTX, so nothing it can load on "
                    + d.computeCapabilityText();
        } else {
            nd4jWhy = "compute capability " + d.computeCapabilityText() + " is not covered by nd4j-cuda-11.6's"
                    + " binaries (3.7, 5.0-8.6)";
        }
        boolean ours = cc >= KernelImage.MIN_COMPUTE_CAPABILITY && kernelsBuilt;
        String oursWhy;
        if (cc < KernelImage.MIN_COMPUTE_CAPABILITY) {
            oursWhy = "the kernels need compute capability 8.0 or newer (cp.async, and the image has sm_80+ code)";
        } else if (!kernelsBuilt) {
            oursWhy = "not built: nvcc was not on the PATH at build time";
        } else if (cc == 80 || cc == 86 || cc == 89 || cc == 90) {
            oursWhy = "machine code for sm_" + cc + " is in the image";
        } else if (cc / 10 == 8) {
            oursWhy = "runs the sm_80 machine code (same major version)";
        } else {
            oursWhy = "the driver compiles the image's compute_90 PTX at load time (needs a driver for CUDA 13.0+)";
        }
        return new Gpu(d, nd4j, nd4jWhy, ours, oursWhy);
    }

    /** nd4j-cuda-11.6's cubins run on their own compute capability and newer minor versions of the same major. */
    static boolean nd4jCudaRuns(int cc) {
        for (int b : ND4J_CUDA_BINARIES) {
            if (b / 10 == cc / 10 && b <= cc) {
                return true;
            }
        }
        return false;
    }

    /** What to do, from the findings. Pure logic. */
    static List<String> recommendations(String backend, List<Gpu> gpus, CudaStatus status) {
        List<String> r = new ArrayList<>();
        boolean cudaBackend = backend.toLowerCase().contains("cuda") || backend.toLowerCase().contains("jcublas");
        if (status.kind() == CudaStatus.Kind.NOT_BUILT) {
            r.add("SeqBench's CUDA kernels are not built: install the CUDA toolkit (nvcc 12 or newer) and rebuild;"
                    + " everything else runs on the CPU.");
        }
        if (gpus.isEmpty()) {
            r.add("No GPU: SeqBench runs on ND4J's CPU backend (the default build); GPU benchmarks are off.");
            return r;
        }
        boolean anyNd4j = gpus.stream().anyMatch(Gpu::nd4jCuda);
        boolean anyOurs = gpus.stream().anyMatch(Gpu::seqbenchKernels);
        if (anyOurs) {
            r.add("Run the fused scan on the GPU with --impl cuda (seqbench kernel scan, seqbench bench scan); it"
                    + " needs no ND4J GPU support.");
        }
        if (!anyNd4j) {
            r.add("ND4J's CUDA backend cannot run on " + (gpus.size() == 1 ? "this GPU" : "these GPUs")
                    + ": keep the default CPU build for training and models" + (cudaBackend
                    ? "; this process runs the CUDA backend, so rebuild without -Pcuda" : "") + ".");
        } else if (!cudaBackend) {
            r.add("ND4J could use this GPU: build with -Pcuda (nd4j-cuda-11.6) and install the CUDA 11.x libraries"
                    + " (libcublas.so.11, libcusolver.so.11); the scan op then runs SeqBench's kernel on ND4J's"
                    + " device buffers.");
        }
        return r;
    }

    /** The ND4J backend, asked by reflection so that this class never needs ND4J on the class path. */
    static String nd4jBackend() {
        try {
            Class<?> nd4j = Class.forName("org.nd4j.linalg.factory.Nd4j");
            Object backend = nd4j.getMethod("getBackend").invoke(null);
            Object exec = nd4j.getMethod("getExecutioner").invoke(null);
            return backend.getClass().getName() + " (executioner " + exec.getClass().getName() + ")";
        } catch (ClassNotFoundException e) {
            return "ND4J is not on the class path";
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "ND4J failed to start: " + cause;
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return System.getProperty("os.arch") + " (model unknown)";
    }

    /** Prints the report; {@code --json} prints it as JSON. */
    public static void main(String[] args) {
        Report r = report();
        System.out.print(java.util.Arrays.asList(args).contains("--json") ? r.json() : r.text());
    }
}
