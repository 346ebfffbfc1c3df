package io.seqbench.kernels.scan;

/**
 * The sequential, double-precision selective scan: the oracle every other implementation is tested against.
 *
 * <p>It follows the package documentation's equations literally, one (batch, channel) row at a time, one time
 * step at a time, in double precision, keeping every state of a row in memory for the backward pass. It is slow
 * on purpose: nothing in it is fused, approximated or reordered. Float entry points widen their inputs to double,
 * compute, and round the results to float once at the end.
 */
public final class SelectiveScanReference {
    private SelectiveScanReference() {
    }

    /**
     * The forward pass on float inputs, computed in double.
     *
     * @param in              the inputs
     * @param returnLastState whether to return h at the last position, (batch, channels, state)
     * @return out (batch, channels, length) and, on request, the last state
     */
    public static ScanOutputs forward(ScanInputs in, boolean returnLastState) {
        return forward(DoubleScanInputs.of(in), returnLastState).toFloat();
    }

    /**
     * The backward pass on float inputs, computed in double: the gradients of Σ dout·out.
     *
     * @param in   the inputs of the forward pass
     * @param dout (batch, channels, length), the gradient of the loss with respect to {@code out}
     * @return the gradient of every input, {@code null} for the optional inputs that were not given
     */
    public static ScanGradients backward(ScanInputs in, float[] dout) {
        return backward(DoubleScanInputs.of(in), DoubleScanInputs.widen(dout), null).toFloat();
    }

    /**
     * The backward pass on float inputs, computed in double, when the loss also depends on the last state.
     *
     * @param in         the inputs of the forward pass
     * @param dout       (batch, channels, length), the gradient with respect to {@code out}
     * @param dLastState (batch, channels, state), the gradient with respect to the last state, or {@code null}
     */
    public static ScanGradients backward(ScanInputs in, float[] dout, float[] dLastState) {
        return backward(DoubleScanInputs.of(in), DoubleScanInputs.widen(dout), DoubleScanInputs.widen(dLastState))
                .toFloat();
    }

    /**
     * The forward pass in double precision.
     *
     * @param in              the inputs
     * @param returnLastState whether to return h at the last position, (batch, channels, state)
     */
    public static DoubleScanOutputs forward(DoubleScanInputs in, boolean returnLastState) {
        ScanShape s = in.shape();
        int batch = s.batch(), channels = s.channels(), length = s.length(), state = s.state();
        double[] out = new double[(int) s.sequenceElements()];
        double[] last = returnLastState ? new double[batch * channels * state] : null;
        double[] h = new double[state];
        for (int b = 0; b < batch; b++) {
            for (int d = 0; d < channels; d++) {
                int row = (b * channels + d) * length;
                int bc = bcBase(s, b, d);
                java.util.Arrays.fill(h, 0.0);
                for (int t = 0; t < length; t++) {
                    double u = in.u()[row + t];
                    double dt = delta(in, d, in.delta()[row + t]);
                    double y = 0;
                    for (int n = 0; n < state; n++) {
                        double a = in.a()[d * state + n];
                        h[n] = Math.exp(dt * a) * h[n] + dt * in.b()[bc + n * length + t] * u;
                        y += in.c()[bc + n * length + t] * h[n];
                    }
                    double o = y + (in.d() == null ? 0 : in.d()[d] * u);
                    if (in.z() != null) {
                        o *= silu(in.z()[row + t]);
                    }
                    out[row + t] = o;
                }
                if (last != null) {
                    System.arraycopy(h, 0, last, (b * channels + d) * state, state);
                }
            }
        }
        return new DoubleScanOutputs(out, last);
    }

    /**
     * The backward pass in double precision: the gradients of Σ dout·out + Σ dLastState·lastState.
     *
     * @param in         the inputs of the forward pass
     * @param dout       (batch, channels, length)
     * @param dLastState (batch, channels, state), or {@code null} when the loss does not use the last state
     */
    public static DoubleScanGradients backward(DoubleScanInputs in, double[] dout, double[] dLastState) {
        ScanShape s = in.shape();
        int batch = s.batch(), channels = s.channels(), length = s.length(), state = s.state();
        if (dout.length != s.sequenceElements()) {
            throw new IllegalArgumentException("dout has " + dout.length + " elements, expected "
                    + s.sequenceElements());
        }
        if (dLastState != null && dLastState.length != (long) batch * channels * state) {
            throw new IllegalArgumentException("dLastState has " + dLastState.length + " elements, expected "
                    + (long) batch * channels * state);
        }
        double[] du = new double[in.u().length];
        double[] dDelta = new double[in.delta().length];
        double[] dA = new double[in.a().length];
        double[] dB = new double[in.b().length];
        double[] dC = new double[in.c().length];
        double[] dD = in.d() == null ? null : new double[channels];
        double[] dz = in.z() == null ? null : new double[in.z().length];
        double[] dBias = in.deltaBias() == null ? null : new double[channels];

        // every state of one row: hs[t + 1][n] = h_t[n], hs[0] = h_{-1} = 0
        double[][] hs = new double[length + 1][state];
        double[] g = new double[state];
        for (int b = 0; b < batch; b++) {
            for (int d = 0; d < channels; d++) {
                int row = (b * channels + d) * length;
                int bc = bcBase(s, b, d);
                for (int t = 0; t < length; t++) {
                    double dt = delta(in, d, in.delta()[row + t]);
                    double u = in.u()[row + t];
                    for (int n = 0; n < state; n++) {
                        hs[t + 1][n] = Math.exp(dt * in.a()[d * state + n]) * hs[t][n]
                                + dt * in.b()[bc + n * length + t] * u;
                    }
                }
                // g[n] = dL/dh_t[n], carried backwards through h_{t+1} = exp(Δ_{t+1} A) h_t + ...
                for (int n = 0; n < state; n++) {
                    g[n] = dLastState == null ? 0 : dLastState[(b * channels + d) * state + n];
                }
                for (int t = length - 1; t >= 0; t--) {
                    double u = in.u()[row + t];
                    double raw = in.delta()[row + t] + (in.deltaBias() == null ? 0 : in.deltaBias()[d]);
                    double dt = in.deltaSoftplus() ? softplus(raw) : raw;
                    double y = 0;
                    for (int n = 0; n < state; n++) {
                        y += in.c()[bc + n * length + t] * hs[t + 1][n];
                    }
                    double pre = y + (in.d() == null ? 0 : in.d()[d] * u);
                    double dy = dout[row + t];
                    if (in.z() != null) {
                        double zt = in.z()[row + t];
                        dz[row + t] = dy * pre * siluDerivative(zt);
                        dy *= silu(zt);
                    }
                    if (dD != null) {
                        dD[d] += dy * u;
                        du[row + t] += dy * in.d()[d];
                    }
                    double dDt = 0;
                    for (int n = 0; n < state; n++) {
                        int bn = bc + n * length + t;
                        double a = in.a()[d * state + n];
                        double decay = Math.exp(dt * a);
                        dC[bn] += dy * hs[t + 1][n];
                        g[n] += dy * in.c()[bn];
                        // h_t = decay·h_{t-1} + Δ·B·u
                        dDt += g[n] * (a * decay * hs[t][n] + in.b()[bn] * u);
                        dA[d * state + n] += g[n] * dt * decay * hs[t][n];
                        dB[bn] += g[n] * dt * u;
                        du[row + t] += g[n] * dt * in.b()[bn];
                        g[n] *= decay; // now dL/dh_{t-1} from this path
                    }
                    double dRaw = in.deltaSoftplus() ? dDt * sigmoid(raw) : dDt;
                    dDelta[row + t] = dRaw;
                    if (dBias != null) {
                        dBias[d] += dRaw;
                    }
                }
            }
        }
        return new DoubleScanGradients(du, dDelta, dA, dB, dC, dD, dz, dBias);
    }

    /**
     * The state at the start of every chunk of {@code chunkLength} steps, (batch, channels, ceil(length / chunk),
     * state), in double: what the fused forward saves as checkpoints, for the double-precision SameDiff path.
     */
    static double[] checkpoints(DoubleScanInputs in, int chunkLength) {
        ScanShape s = in.shape();
        int batch = s.batch(), channels = s.channels(), length = s.length(), state = s.state();
        int nc = (length + chunkLength - 1) / chunkLength;
        double[] out = new double[batch * channels * nc * state];
        double[] h = new double[state];
        for (int b = 0; b < batch; b++) {
            for (int d = 0; d < channels; d++) {
                int row = (b * channels + d) * length;
                int bc = bcBase(s, b, d);
                java.util.Arrays.fill(h, 0.0);
                for (int t = 0; t < length; t++) {
                    if (t % chunkLength == 0) {
                        System.arraycopy(h, 0, out, ((b * channels + d) * nc + t / chunkLength) * state, state);
                    }
                    double u = in.u()[row + t];
                    double dt = delta(in, d, in.delta()[row + t]);
                    for (int n = 0; n < state; n++) {
                        h[n] = Math.exp(dt * in.a()[d * state + n]) * h[n] + dt * in.b()[bc + n * length + t] * u;
                    }
                }
            }
        }
        return out;
    }

    /** Offset of (b, group of channel d, n = 0, t = 0) in B and C. */
    static int bcBase(ScanShape s, int b, int d) {
        return (b * s.effectiveGroups() + s.groupOf(d)) * s.state() * s.length();
    }

    private static double delta(DoubleScanInputs in, int d, double raw) {
        double x = raw + (in.deltaBias() == null ? 0 : in.deltaBias()[d]);
        return in.deltaSoftplus() ? softplus(x) : x;
    }

    /** softplus(x) = log(1 + exp(x)), written to neither overflow nor lose precision. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double silu(double x) {
        return x * sigmoid(x);
    }

    /** d/dx [x·σ(x)] = σ(x)·(1 + x·(1 − σ(x))). */
    static double siluDerivative(double x) {
        double sg = sigmoid(x);
        return sg * (1 + x * (1 - sg));
    }
}
