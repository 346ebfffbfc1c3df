package io.seqbench.kernels.scan;

/**
 * The inner loops of the fused selective scan for one (batch, channel) row: everything the driver
 * ({@link FusedSelectiveScan}) does per time step or per state element. Two implementations compute the same
 * formulas: {@link VectorRowKernel} with the incubating Vector API (SIMD over the state axis), and
 * {@link ScalarRowKernel} in plain Java for JVMs without {@code jdk.incubator.vector}.
 *
 * <p>Index conventions: t is absolute within the row; chunk buffers ({@code hs}, {@code decs}) are indexed
 * from the chunk start t0, with {@code hs[(t − t0)·npad …]} = h_{t−1} and {@code hs[(t − t0 + 1)·npad …]} = h_t,
 * {@code decs[(t − t0)·npad …]} = exp(Δ_t A).
 */
interface RowKernel {

    /** What runs, for logs and run records (e.g. "Vector API, 16 float lanes"). */
    String description();

    /** The state axis is padded to a multiple of this. */
    int lanes();

    /** dt[i] = Δ for raw delta values: raw[i] + bias, then softplus when asked; i in [0, n). */
    void deltaForward(float[] raw, float bias, boolean softplus, float[] dt, int n);

    /**
     * Scans steps [t0, t1) from the state in {@code h} (npad values, updated in place); writes
     * ys[t] = Σ_n C_t,n h_t,n when {@code ys} is not null.
     */
    void scan(ScanRow row, int t0, int t1, float[] h, float[] ys);

    /** out[i] = (ys[i] + dSkip·u[i]) · silu(z[i]) (no gate when z is null); i in [0, n). */
    void outputs(float[] ys, float[] u, float dSkip, float[] z, float[] out, int n);

    /**
     * Recomputes steps [t0, t1) of a chunk from the state in {@code hs[0 … npad)}: stores every state in
     * {@code hs}, every decay exp(Δ_t A) in {@code decs}, and ys[t] = Σ_n C_t,n h_t,n.
     */
    void recompute(ScanRow row, int t0, int t1, float[] hs, float[] decs, float[] ys);

    /**
     * The gate's backward for i in [from, to): dy[i] = dout[i]·silu(z[i]) and
     * dz[i] = dout[i]·(ys[i] + dSkip·u[i])·silu'(z[i]); without a gate (z null) dy = dout and dz is untouched;
     * with ys null only dy is computed.
     */
    void gateBackward(float[] dout, float[] ys, float[] u, float dSkip, float[] z, float[] dy, float[] dz,
                      int from, int to);

    /**
     * The adjoint sweep of a chunk, t from t1−1 down to t0, with the carried adjoint {@code g} (npad values,
     * updated in place: on entry ∂L/∂h_{t1−1} from later steps, on exit the same for h_{t0−1}). Accumulates
     * dA (npad) += g·Δ·Ā·h_{t−1}, dBT[t] += g·Δ·u and dCT[t] += dy·h_t (both (length, npad) from
     * {@code dOff}), and writes dDelta[t] = ∂L/∂Δ_t and duScan[t] = Δ_t Σ_n g B.
     */
    void reverse(ScanRow row, float[] dy, int t0, int t1, float[] hs, float[] decs, float[] g, float[] dA,
                 float[] dBT, float[] dCT, int dOff, float[] dDelta, float[] duScan);

    /**
     * The adjoint alone, from a zero carry, for the chunk-parallel backward: g = (g + dy_t C_t)·exp(Δ_t A) for
     * t from t1−1 down to t0.
     */
    void adjoint(ScanRow row, float[] dy, int t0, int t1, float[] g);

    /**
     * Channels {@link #scanBlock} scans at once (one per SIMD lane); 1 when the kernel has no block scan, and the
     * driver then scans row by row.
     */
    int blockWidth();

    /**
     * The forward scan of {@link #blockWidth()} channels at once over steps [t0, t1): no horizontal sums, B and C
     * broadcast. {@code h} is (npad, width) and updated in place; ysT[t·width + lane] = Σ_n C_t,n h_t,n.
     */
    void scanBlock(ScanBlock block, int t0, int t1, float[] h, float[] ysT);

    /** lanes[t·width + i] = rows[i·length + t]: {@link #blockWidth()} rows of {@code length} to (length, width). */
    void toLanes(float[] rows, int length, float[] lanes);

    /** The inverse of {@link #toLanes}: rows[i·length + t] = lanes[t·width + i]. */
    void fromLanes(float[] lanes, int length, float[] rows);

    /** dDelta[i] *= σ(raw[i] + bias) when softplus (the derivative of softplus); i in [0, n). */
    void deltaBackward(float[] raw, float bias, boolean softplus, float[] dDelta, int n);
}
