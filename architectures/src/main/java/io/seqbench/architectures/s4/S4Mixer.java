package io.seqbench.architectures.s4;

import io.seqbench.architectures.Graph;
import io.seqbench.architectures.Init;
import io.seqbench.architectures.Mixer;
import io.seqbench.architectures.MixerContext;
import io.seqbench.architectures.MixerState;
import io.seqbench.architectures.Parameters;
import io.seqbench.architectures.nn.Layers;
import io.seqbench.kernels.fft.CausalFftConvOp;
import io.seqbench.kernels.op.DenseArrays;
import io.seqbench.kernels.vandermonde.VandermondeKernelOp;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/**
 * S4D mixer: one diagonal state space model (SISO) per channel of the residual stream, trained in convolution
 * mode and generating in recurrent mode (Gu, Gupta, Goel &amp; Ré, 2022, "On the Parameterization and
 * Initialization of Diagonal State Space Models", NeurIPS; the diagonal variant of S4, Gu, Goel &amp; Ré, 2022,
 * "Efficiently Modeling Long Sequences with Structured State Spaces", ICLR).
 *
 * <p>Per channel c (H = d_model channels), with M = N/2 complex modes m:
 * <pre>
 *   continuous   x′(t) = A x(t) + B u(t),  y(t) = C x(t) + D u(t)      A = diag(−exp(log_a_real) + i·a_imag)
 *   discrete     Δ = exp(log_dt);  Ā, B̄ = discretize(Δ, A, B)         ({@link Discretization}: zoh, bilinear, euler)
 *   recurrent    h_t = Ā h_{t−1} + B̄ u_t,   y_t = 2·Re(C h_t) + D u_t   (state h: M complex numbers)
 *   convolution  K_l = 2·Re Σ_m C_m B̄_m Ā_m^l  (l = 0 … L−1, Vandermonde),  y = causal_conv(u, K) + D u
 *   block        out = GLU(GELU(y) W + b),  GLU(a | g) = a ⊙ σ(g),  W (H, 2H)
 * </pre>
 * The two modes compute the same y (a property test checks it). The factor 2·Re stands for the conjugate
 * partner of every stored mode, so the M stored modes represent an N-dimensional real SSM.
 *
 * <p>Glossary (paper → code; parameters are under {@link #prefix()}):
 * <ul>
 *   <li>H, d_model → channels {@code h}; N → {@code state}; N/2 → {@code modes}; L → graph length</li>
 *   <li>log Δ (H) → {@code log_dt}, initialised log-uniformly in [dt_min, dt_max]</li>
 *   <li>A (H, N/2) complex → {@code log_a_real} (Re A = −exp(log_a_real) &lt; 0 always) and {@code a_imag}</li>
 *   <li>B (H, N/2) complex → {@code b_re}, {@code b_im}; C (H, N/2) complex → {@code c_re}, {@code c_im}</li>
 *   <li>D (H) → {@code d}; the output linear of the S4D block → {@code out.weight} (H, 2H), {@code out.bias} (2H)</li>
 *   <li>K (H, L) → the kernel, by {@link VandermondeKernelOp}; the convolution → {@link CausalFftConvOp}</li>
 * </ul>
 *
 * <p>Where SeqBench departs from the paper's code (state-spaces/s4, {@code S4D} / {@code SSMKernelDiag}):
 * <ul>
 *   <li>B is a trainable complex parameter per channel and mode (as in the full S4D kernel); S4D-LegS uses
 *       B̃ = Vᴴ B_LegS with each eigenvector's phase chosen to make B̃ real, without the official code's clipping
 *       of Im B̃ to ±2.</li>
 *   <li>Δ, A and B get the same learning rate and weight decay as every other parameter (the paper uses a
 *       smaller learning rate and no weight decay for them); no dropout.</li>
 *   <li>GELU is ND4J's sigmoid approximation x·σ(1.702x) (the backbone's GELU), not the exact erf form.</li>
 *   <li>The kernel is computed by repeated complex multiplication of Ā in a Java op (not exp(l·log Ā)), which
 *       serves all three discretizations alike; forward Euler is an addition for comparing discretizations.</li>
 * </ul>
 *
 * <p>Sizes: parameters per mixer 2H² + 3HN + 4H; inference state H·N real scalars (M complex modes per channel),
 * independent of the context length.
 */
public final class S4Mixer implements Mixer {
    public static final String TYPE = "s4";

    /**
     * S4D options.
     *
     * @param state          N, the real state size per channel; even, as the N/2 stored modes are halves of
     *                       conjugate pairs
     * @param init           how A and B start: legs (S4D-LegS), lin (S4D-Lin) or real (S4D-Real)
     * @param discretization zoh (default), bilinear or euler
     * @param dtMin          lower end of the initial Δ range (&gt; 0)
     * @param dtMax          upper end of the initial Δ range (≥ dt_min)
     */
    public record Config(int state, StateMatrixInit init, Discretization discretization, double dtMin,
                         double dtMax) {
        public static final Config DEFAULTS = new Config(64, StateMatrixInit.LEGS, Discretization.ZOH, 1e-3, 1e-1);

        /**
         * The other initialisations and discretizations, for the registry-wide property tests. Euler runs with
         * S4D-Real at N = 16, where Δ·|A| ≤ 0.8 keeps it stable over the whole initial Δ range.
         */
        public static final List<Config> VARIANTS = List.of(
                new Config(64, StateMatrixInit.LIN, Discretization.BILINEAR, 1e-3, 1e-1),
                new Config(16, StateMatrixInit.REAL, Discretization.EULER, 1e-3, 1e-1));

        public Config {
            if (state < 2 || state % 2 != 0) {
                throw new IllegalArgumentException("state: must be an even number ≥ 2 (modes come in conjugate"
                        + " pairs, N/2 are stored), got " + state);
            }
            if (init == null) {
                throw new IllegalArgumentException("init: must be one of legs, lin, real");
            }
            if (discretization == null) {
                throw new IllegalArgumentException("discretization: must be one of zoh, bilinear, euler");
            }
            if (!(dtMin > 0) || !Double.isFinite(dtMin)) {
                throw new IllegalArgumentException("dt_min: must be a finite number > 0, got " + dtMin);
            }
            if (!(dtMax >= dtMin) || !Double.isFinite(dtMax)) {
                throw new IllegalArgumentException("dt_max: must be a finite number ≥ dt_min (" + dtMin + "), got "
                        + dtMax);
            }
        }
    }

    private final String prefix;
    private final Config config;
    private final int h;
    private final int modes;
    private final Parameters parameters;

    public S4Mixer(Config config, MixerContext context) {
        this.prefix = context.prefix();
        this.config = config;
        this.h = context.dModel();
        this.modes = config.state() / 2;
        this.parameters = context.parameters();
        StateMatrixInit.Modes initial = config.init().modes(config.state());
        double[] logNegRe = new double[modes];
        for (int m = 0; m < modes; m++) {
            logNegRe[m] = Math.log(-initial.aRe()[m]);
        }
        parameters.create(prefix + "log_dt", Init.uniform(Math.log(config.dtMin()), Math.log(config.dtMax())), h);
        parameters.create(prefix + "log_a_real", everyRow(logNegRe), h, modes);
        parameters.create(prefix + "a_imag", everyRow(initial.aIm()), h, modes);
        parameters.create(prefix + "b_re", everyRow(initial.bRe()), h, modes);
        parameters.create(prefix + "b_im", everyRow(initial.bIm()), h, modes);
        // C ~ complex standard normal: E|C|² = 1
        parameters.create(prefix + "c_re", Init.normal(Math.sqrt(0.5)), h, modes);
        parameters.create(prefix + "c_im", Init.normal(Math.sqrt(0.5)), h, modes);
        parameters.create(prefix + "d", Init.normal(1.0), h);
        parameters.create(prefix + "out.weight", Init.fanIn(h), h, 2L * h);
        parameters.create(prefix + "out.bias", Init.zeros(), 2L * h);
    }

    /** The same row in every channel. */
    private static Init everyRow(double[] row) {
        return (v, r) -> {
            for (int i = 0; i < v.length; i++) {
                v[i] = row[i % row.length];
            }
        };
    }

    public Config config() {
        return config;
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        SameDiff sd = g.sd();
        SDVariable kernel = kernel(g, g.length());                                          // (H, L)
        SDVariable y = CausalFftConvOp.convolve(sd, x, kernel);                             // (B, L, H)
        y = y.add(x.mul(g.param(prefix + "d")));                                            // + D u
        return outputBlock(g, Layers.gelu(g, y));                                           // (B, L, H)
    }

    /**
     * The convolution kernel K (H, length) from the current parameters: K_l = 2 Re Σ_m C_m B̄_m Ā_m^l.
     */
    SDVariable kernel(Graph g, int length) {
        SameDiff sd = g.sd();
        SDVariable dt = sd.math.exp(g.param(prefix + "log_dt")).reshape(h, 1);           // Δ (H, 1)
        SDVariable aRe = sd.math.exp(g.param(prefix + "log_a_real")).neg();              // (H, M)
        Discretization.Discrete d = config.discretization().graph(g, dt, aRe, g.param(prefix + "a_imag"),
                g.param(prefix + "b_re"), g.param(prefix + "b_im"));
        SDVariable cRe = g.param(prefix + "c_re");
        SDVariable cIm = g.param(prefix + "c_im");
        SDVariable wRe = cRe.mul(d.bBarRe()).sub(cIm.mul(d.bBarIm()));                     // C·B̄ (H, M)
        SDVariable wIm = cRe.mul(d.bBarIm()).add(cIm.mul(d.bBarRe()));
        return VandermondeKernelOp.kernel(sd, d.aBarRe(), d.aBarIm(), wRe, wIm, length);
    }

    /** GLU(y W + b) on (B, L, H) → (B, L, H). */
    private SDVariable outputBlock(Graph g, SDVariable y) {
        SDVariable z = Layers.linear(g, y, g.param(prefix + "out.weight"), g.param(prefix + "out.bias"));  // (B, L, 2H)
        SDVariable value = z.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(0, h));
        SDVariable gate = z.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(h, 2 * h));
        return value.mul(g.sd().nn.sigmoid(gate));
    }

    @Override
    public long stateSize(int contextLength) {
        return (long) h * config.state();
    }

    /** The recurrent state h: (batch, H, M) complex, as real and imaginary parts, flat row-major. */
    static final class State implements MixerState {
        final int batch;
        final double[] re;
        final double[] im;
        final int channels;
        final int modes;

        State(int batch, int channels, int modes) {
            this.batch = batch;
            this.channels = channels;
            this.modes = modes;
            this.re = new double[batch * channels * modes];
            this.im = new double[batch * channels * modes];
        }

        @Override
        public long elementsPerSequence() {
            return 2L * channels * modes;
        }
    }

    @Override
    public MixerState initialState(int batch) {
        return new State(batch, h, modes);
    }

    /** Ā and B̄ of every channel and mode from the current parameters, in double: {ĀRe, ĀIm, B̄Re, B̄Im}. */
    double[][] discretize() {
        double[] logDt = DenseArrays.toDoubles(parameters.get(prefix + "log_dt"));
        double[] logARe = DenseArrays.toDoubles(parameters.get(prefix + "log_a_real"));
        double[] aIm = DenseArrays.toDoubles(parameters.get(prefix + "a_imag"));
        double[] bRe = DenseArrays.toDoubles(parameters.get(prefix + "b_re"));
        double[] bIm = DenseArrays.toDoubles(parameters.get(prefix + "b_im"));
        double[][] out = new double[4][h * modes];
        double[] one = new double[4];
        for (int c = 0; c < h; c++) {
            double dt = Math.exp(logDt[c]);
            for (int m = 0; m < modes; m++) {
                int i = c * modes + m;
                config.discretization().scalar(dt, -Math.exp(logARe[i]), aIm[i], bRe[i], bIm[i], one);
                for (int k = 0; k < 4; k++) {
                    out[k][i] = one[k];
                }
            }
        }
        return out;
    }

    @Override
    public INDArray step(MixerState state, INDArray x) {
        State s = (State) state;
        if (x.rank() != 2 || x.size(0) != s.batch || x.size(1) != h) {
            throw new IllegalArgumentException("step input must be (" + s.batch + ", " + h + "), got "
                    + java.util.Arrays.toString(x.shape()));
        }
        double[] u = DenseArrays.toDoubles(x);                                              // (batch, H)
        double[][] disc = discretize();
        double[] zRe = disc[0];
        double[] zIm = disc[1];
        double[] bRe = disc[2];
        double[] bIm = disc[3];
        double[] cRe = DenseArrays.toDoubles(parameters.get(prefix + "c_re"));
        double[] cIm = DenseArrays.toDoubles(parameters.get(prefix + "c_im"));
        double[] d = DenseArrays.toDoubles(parameters.get(prefix + "d"));
        double[] y = new double[s.batch * h];
        for (int b = 0; b < s.batch; b++) {
            for (int c = 0; c < h; c++) {
                double uc = u[b * h + c];
                double sum = 0;
                for (int m = 0; m < modes; m++) {
                    int i = c * modes + m;
                    int j = (b * h + c) * modes + m;
                    double nr = zRe[i] * s.re[j] - zIm[i] * s.im[j] + bRe[i] * uc;          // h ← Ā h + B̄ u
                    double ni = zRe[i] * s.im[j] + zIm[i] * s.re[j] + bIm[i] * uc;
                    s.re[j] = nr;
                    s.im[j] = ni;
                    sum += cRe[i] * nr - cIm[i] * ni;                                          // Re(C h)
                }
                y[b * h + c] = 2 * sum + d[c] * uc;
            }
        }
        INDArray yArr = Nd4j.createFromArray(y).reshape(s.batch, h).castTo(parameters.dataType());
        INDArray z = Layers.linear(Layers.gelu(yArr), parameters.get(prefix + "out.weight"),
                parameters.get(prefix + "out.bias"));                                           // (batch, 2H)
        INDArray value = z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h));
        INDArray gate = z.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 2 * h));
        return value.mul(Transforms.sigmoid(gate, true));
    }
}
