package io.seqbench.kernels.cuda;

import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.util.HashMap;
import java.util.Map;

import static io.seqbench.kernels.cuda.CudaDriver.check;
import static jcuda.driver.CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES;
import static jcuda.driver.CUfunction_attribute.CU_FUNC_ATTRIBUTE_NUM_REGS;

/**
 * The kernel image loaded into a GPU's primary context (the context the CUDA runtime, PyTorch and ND4J also
 * use), with its functions looked up by name. One per device per process: {@link #shared()}.
 */
public final class ScanModule {

    private static ScanModule shared;

    private final CudaDeviceInfo device;
    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final Map<String, Integer> sharedLimitSet = new HashMap<>();

    private ScanModule(int ordinal) {
        CudaStatus.probe().require();
        CUdevice dev = new CUdevice();
        check(JCudaDriver.cuDeviceGet(dev, ordinal), "cuDeviceGet");
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, dev), "cuDevicePrimaryCtxRetain");
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        device = CudaDriver.query(ordinal);
        byte[] image = KernelImage.load().orElseThrow(() -> new CudaUnavailableException(CudaStatus.probe()));
        check(JCudaDriver.cuModuleLoadData(module, image), "cuModuleLoadData(" + KernelImage.RESOURCE + ")");
    }

    /** The module on GPU 0, loaded on first use; throws {@link CudaUnavailableException} when it cannot be. */
    public static synchronized ScanModule shared() {
        if (shared == null) {
            shared = new ScanModule(0);
        }
        shared.makeCurrent();
        return shared;
    }

    public CudaDeviceInfo device() {
        return device;
    }

    public ScanGeometry.Limits limits() {
        return ScanGeometry.Limits.of(device);
    }

    /** Makes this module's context current on the calling thread. */
    public void makeCurrent() {
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    synchronized CUfunction function(String name) {
        return functions.computeIfAbsent(name, n -> {
            CUfunction f = new CUfunction();
            check(JCudaDriver.cuModuleGetFunction(f, module, n), "cuModuleGetFunction(" + n + ")");
            return f;
        });
    }

    /** Registers per thread of a kernel, from the driver (for reports). */
    public int registers(String kernel) {
        int[] v = new int[1];
        check(JCudaDriver.cuFuncGetAttribute(v, CU_FUNC_ATTRIBUTE_NUM_REGS, function(kernel)),
                "cuFuncGetAttribute(NUM_REGS, " + kernel + ")");
        return v[0];
    }

    /** Blocks of this launch that fit on one SM at once, from the driver's occupancy calculator. */
    public int blocksPerSm(ScanGeometry.Launch launch) {
        prepare(launch.kernel(), launch.sharedBytes());
        int[] v = new int[1];
        check(JCudaDriver.cuOccupancyMaxActiveBlocksPerMultiprocessor(v, function(launch.kernel()), launch.threads(),
                launch.sharedBytes()), "cuOccupancyMaxActiveBlocksPerMultiprocessor(" + launch.kernel() + ")");
        return v[0];
    }

    private synchronized void prepare(String kernel, int sharedBytes) {
        Integer set = sharedLimitSet.get(kernel);
        if (sharedBytes > 48 * 1024 && (set == null || set < sharedBytes)) {
            check(JCudaDriver.cuFuncSetAttribute(function(kernel), CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                    sharedBytes), "cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES=" + sharedBytes + ", " + kernel + ")");
            sharedLimitSet.put(kernel, sharedBytes);
        }
    }

    /**
     * Launches {@code kernel} on the default stream. Arguments are {@link Long} (device addresses, 0 for null; 64-bit
     * integers), {@link Integer} or {@link Float}, in the order of the kernel's parameters.
     */
    public void launch(String kernel, int gridX, int gridY, int threads, int sharedBytes, Object... args) {
        prepare(kernel, sharedBytes);
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Long l) {
                params[i] = Pointer.to(new long[]{l});
            } else if (a instanceof Integer v) {
                params[i] = Pointer.to(new int[]{v});
            } else if (a instanceof Float f) {
                params[i] = Pointer.to(new float[]{f});
            } else {
                throw new IllegalArgumentException("kernel argument " + i + " of " + kernel + " is " + a
                        + "; only Long (device address or 64-bit integer), Integer and Float are passed");
            }
        }
        check(JCudaDriver.cuLaunchKernel(function(kernel), gridX, gridY, 1, threads, 1, 1, sharedBytes, null,
                Pointer.to(params), null), "cuLaunchKernel(" + kernel + ", grid " + gridX + "x" + gridY
                + ", block " + threads + ", shared " + sharedBytes + ")");
    }

    /**
     * Queues {@code seqbench_delay}, one thread that holds the default stream for {@code nanos} nanoseconds of the
     * GPU's global timer (for timing: see CudaScanBenchmark.time).
     */
    public void delay(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("delay must be >= 0 ns, got " + nanos);
        }
        launch("seqbench_delay", 1, 1, 1, 0, nanos);
    }

    /** Waits for all work on the context and surfaces any error a kernel raised. */
    public void synchronize() {
        check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
    }

    /** A pair of CUDA events around work on the default stream; {@link #elapsedMillis()} after {@link #stop()}. */
    public static final class Timer implements AutoCloseable {
        private final CUevent start = new CUevent();
        private final CUevent stop = new CUevent();

        public Timer() {
            check(JCudaDriver.cuEventCreate(start, 0), "cuEventCreate");
            check(JCudaDriver.cuEventCreate(stop, 0), "cuEventCreate");
        }

        public void start() {
            check(JCudaDriver.cuEventRecord(start, (CUstream) null), "cuEventRecord");
        }

        public void stop() {
            check(JCudaDriver.cuEventRecord(stop, (CUstream) null), "cuEventRecord");
        }

        /** Blocks until the stop event has completed, then returns the time between the events. */
        public float elapsedMillis() {
            check(JCudaDriver.cuEventSynchronize(stop), "cuEventSynchronize");
            float[] ms = new float[1];
            check(JCudaDriver.cuEventElapsedTime(ms, start, stop), "cuEventElapsedTime");
            return ms[0];
        }

        @Override
        public void close() {
            check(JCudaDriver.cuEventDestroy(start), "cuEventDestroy");
            check(JCudaDriver.cuEventDestroy(stop), "cuEventDestroy");
        }
    }
}
