package io.seqbench.kernels.scan;

/**
 * One implementation of the selective scan on host arrays (the contract of the package documentation): what
 * {@link ScanImpl} lists and {@link ScanFiles} runs. The CUDA kernel implements it too.
 */
public interface ScanImplementation {

    /**
     * The forward pass.
     *
     * @param in              the inputs
     * @param returnLastState whether to return the last state (batch, channels, state)
     * @return out (batch, channels, length) and, on request, the last state
     */
    ScanOutputs forward(ScanInputs in, boolean returnLastState);

    /**
     * The backward pass: the gradients of Σ dout·out.
     *
     * @param in   the inputs of the forward pass
     * @param dout (batch, channels, length)
     * @return the gradient of every input, {@code null} for optional inputs that were not given
     */
    ScanGradients backward(ScanInputs in, float[] dout);
}
