package io.seqbench.kernels.op;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * A {@link JavaOp} that can also compute on device memory when ND4J runs on its CUDA backend ({@code -Pcuda}).
 * The CUDA executioner asks {@link #onDevice} for every call; when it answers true, the executioner makes the
 * device copies of the arrays current, passes their device addresses to {@link #computeOnDevice} and marks the
 * outputs as written on the device. Otherwise the op's {@link JavaOp#compute} runs on host copies. On the CPU
 * backend neither method is called.
 */
public interface DeviceJavaOp {

    /**
     * Whether this call runs on the device (a pure decision, e.g. {@code io.seqbench.kernels.cuda.ScanDispatch});
     * an implementation that answers false should log or record why.
     */
    boolean onDevice(List<INDArray> inputs, List<INDArray> outputs);

    /**
     * Computes on device memory and returns once the results are complete.
     *
     * @param inputAddresses  device addresses of {@code inputs}' data (offset included), in order
     * @param outputAddresses device addresses of {@code outputs}' data, in order
     */
    void computeOnDevice(List<INDArray> inputs, List<INDArray> outputs, long[] inputAddresses,
                         long[] outputAddresses);
}
