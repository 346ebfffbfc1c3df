package io.seqbench.kernels.cuda;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import static io.seqbench.kernels.cuda.CudaDriver.check;

/** Device memory allocated with cuMemAlloc (256-byte aligned), freed by {@link #close()}. */
public final class DeviceBuffer implements AutoCloseable {

    /** A CUdeviceptr whose raw address can be read (JCuda keeps it protected). */
    static final class Address extends CUdeviceptr {
        long value() {
            return getNativePointer() + getByteOffset();
        }
    }

    private final Address ptr = new Address();
    private final long bytes;
    private boolean freed;

    private DeviceBuffer(long bytes) {
        this.bytes = bytes;
        check(JCudaDriver.cuMemAlloc(ptr, Math.max(bytes, 4)), "cuMemAlloc(" + bytes + " bytes)");
    }

    /** Allocates {@code floats} floats; the current context must be set. */
    public static DeviceBuffer floats(long floats) {
        return new DeviceBuffer(floats * Sizeof.FLOAT);
    }

    /** The device address, for kernel arguments. */
    public long address() {
        return ptr.value();
    }

    /** The JCuda handle (for driver calls such as copies). */
    jcuda.driver.CUdeviceptr pointer() {
        return ptr;
    }

    public long bytes() {
        return bytes;
    }

    public long floats() {
        return bytes / Sizeof.FLOAT;
    }

    public void upload(float[] values) {
        if ((long) values.length * Sizeof.FLOAT > bytes) {
            throw new IllegalArgumentException(values.length + " floats do not fit in " + bytes + " bytes");
        }
        check(JCudaDriver.cuMemcpyHtoD(ptr, Pointer.to(values), (long) values.length * Sizeof.FLOAT),
                "cuMemcpyHtoD");
    }

    public float[] download(int count) {
        float[] out = new float[count];
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), ptr, (long) count * Sizeof.FLOAT), "cuMemcpyDtoH");
        return out;
    }

    /** Fills every 32-bit word with {@code bits} (e.g. a NaN pattern, to catch elements a kernel did not write). */
    public void fill(int bits) {
        check(JCudaDriver.cuMemsetD32(ptr, bits, bytes / 4), "cuMemsetD32");
    }

    @Override
    public void close() {
        if (!freed) {
            freed = true;
            check(JCudaDriver.cuMemFree(ptr), "cuMemFree");
        }
    }
}
