package io.seqbench.kernels.cuda;

import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The CUDA driver API through JCuda: loading, error checking and device queries. Every driver call's result goes
 * through {@link #check}; JCuda's own exceptions stay off so that each error names the call that failed.
 */
final class CudaDriver {

    private static volatile CudaStatus status;
    private static volatile List<CudaDeviceInfo> devices;

    private CudaDriver() {
    }

    /** Throws {@link CudaException} naming {@code call} unless {@code result} is CUDA_SUCCESS. */
    static void check(int result, String call) {
        if (result != 0) {
            throw new CudaException(call + " failed: " + errorName(result) + " (" + result + ")", result);
        }
    }

    static String errorName(int result) {
        try {
            String[] name = new String[1];
            String[] text = new String[1];
            JCudaDriver.cuGetErrorName(result, name);
            JCudaDriver.cuGetErrorString(result, text);
            return name[0] + (text[0] == null ? "" : ": " + text[0]);
        } catch (RuntimeException | LinkageError e) {
            return "CUresult " + result;
        }
    }

    static synchronized CudaStatus status() {
        if (status == null) {
            status = computeStatus();
        }
        return status;
    }

    /** Every GPU the driver reports (empty when the driver cannot be loaded). */
    static synchronized List<CudaDeviceInfo> devices() {
        status();
        return devices;
    }

    private static CudaStatus computeStatus() {
        devices = List.of();
        String init = initDriver();
        if (init == null) {
            int[] count = new int[1];
            check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
            List<CudaDeviceInfo> found = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                found.add(query(i));
            }
            devices = List.copyOf(found);
        }
        if (!KernelImage.isBuilt()) {
            return new CudaStatus(CudaStatus.Kind.NOT_BUILT, "not built: nvcc was not on the PATH when SeqBench"
                    + " was built, so the CUDA kernels are missing; install the CUDA toolkit (nvcc 12 or newer) and"
                    + " rebuild");
        }
        if (init != null) {
            return new CudaStatus(CudaStatus.Kind.NO_DRIVER, init);
        }
        if (devices.isEmpty()) {
            return new CudaStatus(CudaStatus.Kind.NO_DEVICE, "the NVIDIA driver reports no GPU");
        }
        CudaDeviceInfo d0 = devices.get(0);
        if (d0.computeCapability() < KernelImage.MIN_COMPUTE_CAPABILITY) {
            return new CudaStatus(CudaStatus.Kind.UNSUPPORTED_DEVICE, "GPU 0 (" + d0.name() + ") has compute"
                    + " capability " + d0.computeCapabilityText() + "; SeqBench's CUDA kernels need 8.0 or newer");
        }
        return new CudaStatus(CudaStatus.Kind.AVAILABLE, "GPU 0: " + d0.name() + ", compute capability "
                + d0.computeCapabilityText());
    }

    /** Loads JCuda's native library and initialises the driver; returns null or the reason it failed. */
    private static String initDriver() {
        try {
            JCudaDriver.setExceptionsEnabled(false);
            int r = JCudaDriver.cuInit(0);
            if (r == 100) { // CUDA_ERROR_NO_DEVICE
                return null;
            }
            if (r != 0) {
                return "the NVIDIA driver failed to initialise: " + errorName(r);
            }
            return null;
        } catch (LinkageError e) {
            String text = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : " " + e.getCause());
            if (text.contains("libcuda")) {
                return "no NVIDIA driver: libcuda.so.1 could not be loaded (install the NVIDIA driver, or run on a"
                        + " machine with a GPU)";
            }
            return "JCuda's native library could not be loaded: " + firstLine(e.getMessage());
        }
    }

    static CudaDeviceInfo query(int ordinal) {
        CUdevice dev = new CUdevice();
        check(JCudaDriver.cuDeviceGet(dev, ordinal), "cuDeviceGet");
        byte[] name = new byte[256];
        check(JCudaDriver.cuDeviceGetName(name, name.length, dev), "cuDeviceGetName");
        int len = 0;
        while (len < name.length && name[len] != 0) {
            len++;
        }
        long[] mem = new long[1];
        check(JCudaDriver.cuDeviceTotalMem(mem, dev), "cuDeviceTotalMem");
        int[] version = new int[1];
        check(JCudaDriver.cuDriverGetVersion(version), "cuDriverGetVersion");
        return new CudaDeviceInfo(ordinal, new String(name, 0, len, StandardCharsets.UTF_8),
                attribute(dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                attribute(dev, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
                attribute(dev, CU_DEVICE_ATTRIBUTE_CLOCK_RATE),
                attribute(dev, CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE),
                attribute(dev, CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH),
                attribute(dev, CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE),
                attribute(dev, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN),
                mem[0], version[0]);
    }

    private static int attribute(CUdevice dev, int attribute) {
        int[] v = new int[1];
        check(JCudaDriver.cuDeviceGetAttribute(v, attribute, dev), "cuDeviceGetAttribute(" + attribute + ")");
        return v[0];
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
