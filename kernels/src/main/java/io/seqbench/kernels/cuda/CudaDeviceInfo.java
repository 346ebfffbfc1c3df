package io.seqbench.kernels.cuda;

/**
 * One GPU as the CUDA driver describes it.
 *
 * @param ordinal            the driver's device index
 * @param name               e.g. "NVIDIA H200"
 * @param major              compute capability, major
 * @param minor              compute capability, minor
 * @param multiprocessors    streaming multiprocessors (SMs)
 * @param clockKhz           the SM clock the driver reports (the maximum boost clock), kHz
 * @param memoryClockKhz     the memory clock, kHz
 * @param memoryBusBits      the memory bus width, bits
 * @param l2Bytes            L2 cache size
 * @param maxSharedPerBlock  the most shared memory a block may opt in to, bytes
 * @param totalMemoryBytes   device memory
 * @param driverVersion      the driver's CUDA version, e.g. 13000 for 13.0
 */
public record CudaDeviceInfo(int ordinal, String name, int major, int minor, int multiprocessors, int clockKhz,
                             int memoryClockKhz, int memoryBusBits, int l2Bytes, int maxSharedPerBlock,
                             long totalMemoryBytes, int driverVersion) {

    /** major·10 + minor, e.g. 90 for Hopper. */
    public int computeCapability() {
        return major * 10 + minor;
    }

    /** e.g. "9.0". */
    public String computeCapabilityText() {
        return major + "." + minor;
    }

    /** e.g. "13.0". */
    public String driverVersionText() {
        return (driverVersion / 1000) + "." + (driverVersion % 1000) / 10;
    }
}
