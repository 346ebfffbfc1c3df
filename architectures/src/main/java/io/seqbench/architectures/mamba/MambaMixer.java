package io.seqbench.architectures.mamba;

import io.seqbench.architectures.Graph;
import io.seqbench.architectures.Init;
import io.seqbench.architectures.Mixer;
import io.seqbench.architectures.MixerContext;
import io.seqbench.architectures.MixerState;
import io.seqbench.architectures.Parameters;
import io.seqbench.architectures.nn.Layers;
import io.seqbench.kernels.conv.CausalConvOp;
import io.seqbench.kernels.op.DenseArrays;
import io.seqbench.kernels.scan.SelectiveScanOp;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Mamba block (Gu &amp; Dao, 2023, "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
 * §3.4 and Figure 3), with the selective SSM (S6, Algorithm 2) running on SeqBench's fused selective-scan op.
 *
 * <pre>
 *   [x, z] = in_proj(h)                          x, z: (B, L, E), E = expand·d_model
 *   x      = SiLU(causal_depthwise_conv_k(x))    k = conv_kernel (4)
 *   [δ, B, C] = x_proj(x)                        δ: (B, L, R), B, C: (B, L, N)        (S6: input-dependent)
 *   Δ      = softplus(dt_proj(δ) + dt_bias)      Δ: (B, L, E)
 *   A      = −exp(A_log)                         A: (E, N), S4D-Real init A_log = log(1 … N)
 *   y      = selective_scan(x, Δ, A, B, C) + D ⊙ x          h_t = exp(Δ_t A) h_{t−1} + Δ_t B_t x_t; y_t = C_t h_t
 *   out    = out_proj(y ⊙ SiLU(z))
 * </pre>
 *
 * <p>Glossary (paper ↔ code): D (model width) ↔ d_model; E·D ↔ {@code inner} (d_inner); N ↔ {@code state}
 * (d_state); R ↔ {@code dt_rank}; Δ ↔ delta (+ {@code dt_bias} as the scan's delta_bias, softplus inside the
 * scan); A ↔ −exp({@code a_log}); B, C ↔ the last 2N columns of x_proj; D ↔ {@code d_skip}; z ↔ the gate branch.
 *
 * <p>Initialisation as in the paper's code: dt_bias = softplus⁻¹(Δ₀) with Δ₀ log-uniform in [dt_min, dt_max]
 * (floored at 1e-4), dt_proj weights uniform ±R^−½, A_log = log n (S4D-Real), D = 1, the output projection scaled
 * by 1/√layers, other projections and the convolution PyTorch-style uniform ±1/√fan_in.
 *
 * <p>Ablations for the paper's Table 1 (selective copying): {@code selective: false} makes Δ, B and C
 * time-invariant learned parameters (an LTI SSM inside the Mamba block — the paper's "S4 layer"; here B and C
 * are shared by all channels, where S4D has per-channel ones), and {@code gate: false} drops the z branch
 * (out = out_proj(y)), the paper's "no gate" architecture.
 *
 * <p>Where SeqBench departs from the official implementation: the in/x/out projections have no bias (as the
 * official defaults); the depthwise convolution is SeqBench's causal convolution op (the same function as the
 * official padding + truncation); everything runs in float32 on the CPU (the official kernel keeps the state in float32 too).
 * The recurrent {@link #step} keeps the last k−1 convolution inputs and the state h (E·N per sequence).
 */
public final class MambaMixer implements Mixer {
    public static final String TYPE = "mamba";

    /**
     * Mamba block options.
     *
     * @param state       N, state size per channel (d_state, ≥ 1)
     * @param expand      E, inner width as a multiple of d_model (≥ 1)
     * @param convKernel  width k of the causal depthwise convolution (≥ 1)
     * @param dtRank      R, rank of the Δ projection; 0 = ⌈d_model / 16⌉ as in the paper's code
     * @param dtMin       smallest initial Δ (&gt; 0)
     * @param dtMax       largest initial Δ (≥ dt_min)
     * @param selective   true: Δ, B, C depend on the input (S6); false: time-invariant (LTI ablation)
     * @param gate        true: multiply by SiLU(z) (Mamba block); false: no gate (ablation)
     */
    public record Config(int state, int expand, int convKernel, int dtRank, double dtMin, double dtMax,
                         boolean selective, boolean gate) {
        public static final Config DEFAULTS = new Config(16, 2, 4, 0, 1e-3, 1e-1, true, true);
        /** The ablations of the paper's Table 1, covered by the registry-wide tests. */
        public static final java.util.List<Config> VARIANTS = java.util.List.of(
                new Config(16, 2, 4, 0, 1e-3, 1e-1, true, false),
                new Config(16, 2, 4, 0, 1e-3, 1e-1, false, true));

        public Config {
            require(state >= 1, "state", "must be ≥ 1", state);
            require(expand >= 1, "expand", "must be ≥ 1", expand);
            require(convKernel >= 1, "conv_kernel", "must be ≥ 1", convKernel);
            require(dtRank >= 0, "dt_rank", "must be ≥ 0 (0 = ceil(d_model / 16))", dtRank);
            require(dtMin > 0, "dt_min", "must be > 0", dtMin);
            require(dtMax >= dtMin, "dt_max", "must be ≥ dt_min (" + dtMin + ")", dtMax);
        }

        private static void require(boolean ok, String field, String rule, Object value) {
            if (!ok) {
                throw new IllegalArgumentException(field + ": " + rule + ", got " + value);
            }
        }
    }

    static final double DT_FLOOR = 1e-4;

    private final Config config;
    private final String prefix;
    private final Parameters parameters;
    private final int d;
    private final int inner;
    private final int n;
    private final int rank;
    private final int k;

    public MambaMixer(Config config, MixerContext context) {
        this.config = config;
        this.prefix = context.prefix();
        this.parameters = context.parameters();
        this.d = context.dModel();
        this.inner = config.expand() * d;
        this.n = config.state();
        this.rank = config.dtRank() > 0 ? config.dtRank() : (d + 15) / 16;
        this.k = config.convKernel();
        Parameters p = parameters;
        // in_proj and x_proj are stored as separate matrices per output block (same function and init as one
        // matrix, but no slicing ops in the graph)
        p.create(prefix + "in_proj_x", Init.fanIn(d), d, inner);
        if (config.gate()) {
            p.create(prefix + "in_proj_z", Init.fanIn(d), d, inner);
        }
        p.create(prefix + "conv.weight", Init.fanIn(k), k, inner);
        p.create(prefix + "conv.bias", Init.fanIn(k), inner);
        if (config.selective()) {
            p.create(prefix + "x_proj_dt", Init.fanIn(inner), inner, rank);
            p.create(prefix + "x_proj_b", Init.fanIn(inner), inner, n);
            p.create(prefix + "x_proj_c", Init.fanIn(inner), inner, n);
            p.create(prefix + "dt_proj", Init.uniform(1.0 / Math.sqrt(rank)), rank, inner);
        } else {
            p.create(prefix + "b", Init.normal(1.0 / Math.sqrt(n)), n);
            p.create(prefix + "c", Init.normal(1.0 / Math.sqrt(n)), n);
        }
        p.create(prefix + "dt_bias", dtBiasInit(config.dtMin(), config.dtMax()), inner);
        p.create(prefix + "a_log", (values, random) -> {
            for (int i = 0; i < values.length; i++) {
                values[i] = Math.log(1 + i % n);           // S4D-Real: A_n = −(n+1)
            }
        }, inner, n);
        p.create(prefix + "d_skip", Init.ones(), inner);
        p.create(prefix + "out_proj", Init.uniform(1.0 / Math.sqrt(inner) / Math.sqrt(context.layers())), inner, d);
    }

    /** softplus⁻¹ of Δ₀, Δ₀ = exp(U(log dt_min, log dt_max)) floored at 1e-4: Δ starts in [dt_min, dt_max]. */
    static Init dtBiasInit(double dtMin, double dtMax) {
        return (values, random) -> {
            for (int i = 0; i < values.length; i++) {
                double dt = Math.exp(Math.log(dtMin) + random.nextDouble() * (Math.log(dtMax) - Math.log(dtMin)));
                dt = Math.max(dt, DT_FLOOR);
                values[i] = dt + Math.log(-Math.expm1(-dt));    // log(exp(dt) − 1), stably
            }
        };
    }

    public int inner() {
        return inner;
    }

    public int dtRank() {
        return rank;
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        SameDiff sd = g.sd();
        int b = g.batch();
        int l = g.length();
        long rows = (long) b * l;
        SDVariable flat = x.reshape(rows, d);                                                    // (B·L, d)
        SDVariable xin = flat.mmul(g.param(prefix + "in_proj_x"));                               // (B·L, E)
        // causal depthwise convolution along the sequence (SeqBench's Java op; ND4J's depthWiseConv2d is ~10x slower)
        SDVariable convolved = new CausalConvOp(sd, xin.reshape(b, l, inner), g.param(prefix + "conv.weight"),
                g.param(prefix + "conv.bias"), 1).outputVariable();                              // (B, L, E)
        SDVariable u = Layers.silu(g, convolved.reshape(rows, inner));                           // (B·L, E)
        SDVariable delta;
        SDVariable bMat;
        SDVariable cMat;
        if (config.selective()) {
            delta = u.mmul(g.param(prefix + "x_proj_dt")).mmul(g.param(prefix + "dt_proj"))      // (B·L, E)
                    .reshape(b, l, inner).permute(0, 2, 1);                                      // (B, E, L)
            bMat = u.mmul(g.param(prefix + "x_proj_b")).reshape(b, l, n).permute(0, 2, 1);       // (B, N, L)
            cMat = u.mmul(g.param(prefix + "x_proj_c")).reshape(b, l, n).permute(0, 2, 1);       // (B, N, L)
        } else {
            delta = sd.constant(Nd4j.zeros(g.dataType(), b, inner, l));                          // Δ = softplus(dt_bias)
            SDVariable ones = sd.constant(Nd4j.ones(g.dataType(), b, n, l));
            bMat = ones.mul(g.param(prefix + "b").reshape(1, n, 1));                             // (B, N, L)
            cMat = ones.mul(g.param(prefix + "c").reshape(1, n, 1));
        }
        SDVariable a = sd.math.exp(g.param(prefix + "a_log")).neg();                              // (E, N)
        SDVariable uT = u.reshape(b, l, inner).permute(0, 2, 1);                                 // (B, E, L)
        SDVariable zT = config.gate() ? flat.mmul(g.param(prefix + "in_proj_z"))
                .reshape(b, l, inner).permute(0, 2, 1) : null;                                   // (B, E, L)
        SDVariable y = SelectiveScanOp.scan(sd, prefix + "scan", uT, delta, a, bMat, cMat, g.param(prefix + "d_skip"), zT,
                g.param(prefix + "dt_bias"), true);                                              // (B, E, L)
        return y.permute(0, 2, 1).reshape(rows, inner).mmul(g.param(prefix + "out_proj"))
                .reshape(b, l, d);                                                               // (B, L, d)
    }

    @Override
    public long stateSize(int contextLength) {
        return (long) inner * n + (long) inner * (k - 1);
    }

    /**
     * The convolution window, the last k−1 inputs of the convolution per sequence (row j of k−1 at {@code j·E},
     * oldest first), and the SSM state h (E·N per sequence, state index fastest).
     */
    static final class State implements MixerState {
        final double[][] window;
        final double[][] h;

        State(int batch, int inner, int n, int k) {
            this.window = new double[batch][(k - 1) * inner];
            this.h = new double[batch][inner * n];
        }

        @Override
        public long elementsPerSequence() {
            return window[0].length + (long) h[0].length;
        }
    }

    @Override
    public MixerState initialState(int batch) {
        return new State(batch, inner, n, k);
    }

    /**
     * One token: the equations of {@link #forward} written out in double precision on plain arrays (projections,
     * the convolution over the kept window, SiLU, softplus, the SSM recurrence, skip and gate), so that a token
     * costs its arithmetic (per layer and sequence at d_model 64: ~36k multiply-adds, 2k exponentials) and not a
     * chain of small eager ND4J calls. The registry-wide test checks it against the parallel {@link #forward}.
     */
    @Override
    public INDArray step(MixerState state, INDArray x) {
        State s = (State) state;
        if (x.rank() != 2 || x.size(0) != s.h.length || x.size(1) != d) {
            throw new IllegalArgumentException("step input must be (" + s.h.length + ", " + d + "), got "
                    + java.util.Arrays.toString(x.shape()));
        }
        int batch = s.h.length;
        double[] xs = DenseArrays.toDoubles(x);                                                 // (batch, d)
        double[] inX = values("in_proj_x");                                                     // (d, E)
        double[] inZ = config.gate() ? values("in_proj_z") : null;                              // (d, E)
        double[] convW = values("conv.weight");                                                 // (k, E)
        double[] convB = values("conv.bias");                                                   // (E)
        double[] dtBias = values("dt_bias");
        double[] aLog = values("a_log");                                                        // (E, N)
        double[] dSkip = values("d_skip");
        double[] outProj = values("out_proj");                                                  // (E, d)
        double[] xProjDt = config.selective() ? values("x_proj_dt") : null;                     // (E, R)
        double[] dtProj = config.selective() ? values("dt_proj") : null;                        // (R, E)
        double[] xProjB = config.selective() ? values("x_proj_b") : null;                       // (E, N)
        double[] xProjC = config.selective() ? values("x_proj_c") : null;                       // (E, N)
        double[] bFixed = config.selective() ? null : values("b");                              // (N)
        double[] cFixed = config.selective() ? null : values("c");
        double[] a = new double[inner * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = -Math.exp(aLog[i]);
        }
        double[] out = new double[batch * d];
        double[] xin = new double[inner];
        double[] u = new double[inner];
        double[] z = new double[inner];
        double[] dtLow = new double[rank];
        double[] bv = new double[n];
        double[] cv = new double[n];
        for (int i = 0; i < batch; i++) {
            matVec(xs, i * d, d, inX, inner, xin);                                              // x · in_proj_x
            if (inZ != null) {
                matVec(xs, i * d, d, inZ, inner, z);                                            // x · in_proj_z
            }
            double[] window = s.window[i];
            for (int c = 0; c < inner; c++) {   // window row j holds the input at t − (k−1−j); row k−1 is xin
                double conv = convB[c] + convW[(k - 1) * inner + c] * xin[c];
                for (int j = 0; j < k - 1; j++) {
                    conv += convW[j * inner + c] * window[j * inner + c];
                }
                u[c] = conv / (1 + Math.exp(-conv));                                             // SiLU
            }
            if (k > 1) {                                                                        // shift in xin
                System.arraycopy(window, inner, window, 0, (k - 2) * inner);
                System.arraycopy(xin, 0, window, (k - 2) * inner, inner);
            }
            if (config.selective()) {
                matVec(u, 0, inner, xProjDt, rank, dtLow);
                matVec(u, 0, inner, xProjB, n, bv);
                matVec(u, 0, inner, xProjC, n, cv);
            } else {
                System.arraycopy(bFixed, 0, bv, 0, n);
                System.arraycopy(cFixed, 0, cv, 0, n);
            }
            double[] h = s.h[i];
            double[] y = new double[inner];
            for (int c = 0; c < inner; c++) {
                double raw = dtBias[c];
                if (config.selective()) {
                    for (int r = 0; r < rank; r++) {
                        raw += dtLow[r] * dtProj[r * inner + c];                                 // · dt_proj
                    }
                }
                double delta = raw > 20 ? raw : Math.log1p(Math.exp(raw));                      // softplus
                double acc = 0;
                for (int m = 0; m < n; m++) {
                    int cm = c * n + m;
                    h[cm] = Math.exp(delta * a[cm]) * h[cm] + delta * bv[m] * u[c];
                    acc += cv[m] * h[cm];
                }
                acc += dSkip[c] * u[c];
                if (inZ != null) {
                    acc *= z[c] / (1 + Math.exp(-z[c]));                                         // SiLU(z)
                }
                y[c] = acc;
            }
            for (int c = 0; c < inner; c++) {                                                   // y · out_proj
                for (int j = 0; j < d; j++) {
                    out[i * d + j] += y[c] * outProj[c * d + j];
                }
            }
        }
        return Nd4j.createFromArray(out).reshape(batch, d).castTo(x.dataType());
    }

    private double[] values(String name) {
        return DenseArrays.toDoubles(parameters.get(prefix + name));
    }

    /** out[col] = Σ_row v[offset + row] · m[row · cols + col], m row-major (rows × cols). */
    private static void matVec(double[] v, int offset, int rows, double[] m, int cols, double[] out) {
        java.util.Arrays.fill(out, 0, cols, 0.0);
        for (int row = 0; row < rows; row++) {
            double vr = v[offset + row];
            int base = row * cols;
            for (int col = 0; col < cols; col++) {
                out[col] += vr * m[base + col];
            }
        }
    }
}
