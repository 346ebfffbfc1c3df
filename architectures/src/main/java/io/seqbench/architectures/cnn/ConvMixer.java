package io.seqbench.architectures.cnn;

import io.seqbench.architectures.Graph;
import io.seqbench.architectures.Init;
import io.seqbench.architectures.Mixer;
import io.seqbench.architectures.MixerContext;
import io.seqbench.architectures.MixerState;
import io.seqbench.architectures.Parameters;
import io.seqbench.architectures.nn.Layers;
import io.seqbench.kernels.conv.CausalConvOp;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;

/**
 * Causal convolution mixer: a gated stack of dilated depthwise causal convolutions, in the spirit of H3's
 * short convolutions and Hyena's gated convolutions (with short, dilated filters instead of long implicit
 * ones) and WaveNet's dilated stack.
 *
 * <p>Per sequence, with x the (normalised) input (L, d), E = expand·d channels, m = number of dilations,
 * k = kernel_size and δ_i the i-th dilation:
 * <pre>
 *   v_0 = x W_u                                         W_u (d, E)        the convolved branch
 *   g   = x W_g                                         W_g (d, E)        the gate branch
 *   v_i[t] = silu(c_i + Σ_{j=0}^{k−1} w_i[j] ⊙ v_{i−1}[t − (k−1−j)·δ_i])   i = 1..m
 *                                                       (v_{i−1}[s] = 0 for s &lt; 0)
 *   y[t] = (v_m[t] ⊙ silu(g[t])) W_o                    W_o (E, d)        the mixer's output
 * </pre>
 * Each convolution is depthwise (one filter w_i (k, E) and bias c_i (E) per channel) and causal (left zero
 * padding of (k−1)·δ_i), computed by SeqBench's {@link CausalConvOp}: ND4J's {@code depthWiseConv2d} on a
 * left-padded input gives the same values and correct gradients but made a training step about five times
 * slower than the LSTM's. The receptive field is 1 + (k−1)·Σ_i δ_i positions (46 for the defaults k = 4,
 * δ = 1, 2, 4, 8): output t depends on inputs t − (RF − 1) … t and on nothing earlier.
 *
 * <p>Glossary (papers → code): the gated input (H3's q, Hyena's x_i, Mamba's z) → g, parameter
 * {@code in_gate} = W_g; the convolved input (H3's and Hyena's v, Mamba's x) → v_0, parameter {@code in_u} = W_u;
 * Hyena's filter h, WaveNet's dilated filter → w_i, c_i, parameters {@code conv.i.weight} (k, E) and
 * {@code conv.i.bias} (E); WaveNet's dilation → δ_i ({@code dilations}); output projection → {@code out} = W_o;
 * Mamba's expansion factor → {@code expand}.
 *
 * <p>Where SeqBench departs from the papers: H3 and Hyena use long convolutions (as long as the sequence,
 * evaluated with FFTs) and an SSM or implicit filter; here every filter is short (k taps) and the length of
 * the context comes from the dilations, so the receptive field is fixed and finite, and generation needs only
 * a constant window per convolution. WaveNet's gated tanh·σ units and skip connections are replaced by one
 * SiLU per convolution and one SiLU gate at the end, as in Mamba's block. Initialisation: W_u, W_g uniform
 * ±1/√d; filters uniform ±√(3/k) (variance 1/k, so each convolution preserves the variance of its input at
 * the start; PyTorch's default ±1/√k would shrink the variance threefold per convolution of the stack); biases zero;
 * W_o uniform ±1/√E scaled by 1/√(2·layers) (GPT-2's residual scaling).
 *
 * <p>Parameters per layer: 3·d·E + m·(k + 1)·E. Inference state: a window of the last (k−1)·δ_i inputs of each
 * convolution, E·(RF − 1) scalars per sequence whatever the context length.
 */
public final class ConvMixer implements Mixer {
    public static final String TYPE = "conv";

    /**
     * Causal convolution options.
     *
     * @param expand     channels E of the convolved and gate branches as a multiple of d_model (≥ 1)
     * @param kernelSize taps k of every depthwise filter (≥ 2)
     * @param dilations  one depthwise convolution per entry, applied in order, each with this dilation (≥ 1);
     *                   at least one
     */
    public record Config(int expand, int kernelSize, List<Integer> dilations) {
        public static final Config DEFAULTS = new Config(2, 4, List.of(1, 2, 4, 8));

        public Config {
            if (expand < 1) {
                throw new IllegalArgumentException("expand: must be ≥ 1, got " + expand);
            }
            if (kernelSize < 2) {
                throw new IllegalArgumentException("kernel_size: must be ≥ 2, got " + kernelSize);
            }
            if (dilations == null || dilations.isEmpty()) {
                throw new IllegalArgumentException("dilations: must list at least one dilation, e.g. [1, 2, 4, 8]");
            }
            long sum = 0;
            for (Integer dilation : dilations) {
                if (dilation == null || dilation < 1) {
                    throw new IllegalArgumentException("dilations: every dilation must be an integer ≥ 1, got "
                            + dilations);
                }
                sum += dilation;
            }
            if ((kernelSize - 1) * sum >= Integer.MAX_VALUE) {
                throw new IllegalArgumentException("dilations: the receptive field 1 + (kernel_size − 1)·Σ"
                        + " dilations must fit in an int, got kernel_size " + kernelSize + " and dilations "
                        + dilations);
            }
            dilations = List.copyOf(dilations);
        }
    }

    /** The receptive field of a configuration: 1 + (kernel_size − 1)·Σ dilations positions. */
    public static int receptiveField(Config config) {
        int sum = 0;
        for (int dilation : config.dilations()) {
            sum += dilation;
        }
        return 1 + (config.kernelSize() - 1) * sum;
    }

    private final String prefix;
    private final Config config;
    private final int d;
    private final int channels;
    private final Parameters parameters;

    public ConvMixer(Config config, MixerContext context) {
        this.prefix = context.prefix();
        this.config = config;
        this.d = context.dModel();
        this.channels = config.expand() * d;
        this.parameters = context.parameters();
        int k = config.kernelSize();
        parameters.create(prefix + "in_u", Init.fanIn(d), d, channels);
        parameters.create(prefix + "in_gate", Init.fanIn(d), d, channels);
        for (int i = 0; i < config.dilations().size(); i++) {
            parameters.create(prefix + "conv." + i + ".weight", Init.uniform(Math.sqrt(3.0 / k)), k, channels);
            parameters.create(prefix + "conv." + i + ".bias", Init.zeros(), channels);
        }
        parameters.create(prefix + "out", Init.uniform(1.0 / Math.sqrt(channels)
                / Math.sqrt(2.0 * context.layers())), channels, d);
    }

    /** Positions each output sees: output t depends on inputs t − (receptiveField − 1) … t. */
    public int receptiveField() {
        return receptiveField(config);
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        long rows = (long) g.batch() * g.length();
        SDVariable flat = x.reshape(rows, d);                                                    // (B·L, d)
        SDVariable gate = flat.mmul(g.param(prefix + "in_gate"));                                // (B·L, E)
        SDVariable v = flat.mmul(g.param(prefix + "in_u")).reshape(g.batch(), g.length(), channels);   // (B, L, E)
        for (int i = 0; i < config.dilations().size(); i++) {
            SDVariable conv = new CausalConvOp(g.sd(), v, g.param(prefix + "conv." + i + ".weight"),
                    g.param(prefix + "conv." + i + ".bias"), config.dilations().get(i)).outputVariable();
            v = Layers.silu(g, conv);                                                            // (B, L, E)
        }
        SDVariable mixed = v.reshape(rows, channels).mul(Layers.silu(g, gate));                 // (B·L, E)
        return mixed.mmul(g.param(prefix + "out")).reshape(g.batch(), g.length(), d);           // (B, L, d)
    }

    @Override
    public long stateSize(int contextLength) {
        return (long) channels * (receptiveField() - 1);
    }

    /** Per convolution i, the last (k−1)·δ_i inputs to it, oldest first: (batch, (k−1)·δ_i, E). */
    static final class State implements MixerState {
        final INDArray[] windows;

        State(INDArray[] windows) {
            this.windows = windows;
        }

        @Override
        public long elementsPerSequence() {
            long n = 0;
            for (INDArray w : windows) {
                n += w.size(1) * w.size(2);
            }
            return n;
        }
    }

    @Override
    public MixerState initialState(int batch) {
        INDArray[] windows = new INDArray[config.dilations().size()];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = Nd4j.zeros(parameters.dataType(), batch,
                    (long) (config.kernelSize() - 1) * config.dilations().get(i), channels);
        }
        return new State(windows);
    }

    @Override
    public INDArray step(MixerState state, INDArray x) {
        State s = (State) state;
        long batch = x.size(0);
        int k = config.kernelSize();
        INDArray gate = x.mmul(parameters.get(prefix + "in_gate"));                           // (batch, E)
        INDArray v = x.mmul(parameters.get(prefix + "in_u"));                                 // (batch, E)
        for (int i = 0; i < s.windows.length; i++) {
            int dilation = config.dilations().get(i);
            INDArray window = Nd4j.concat(1, s.windows[i], v.reshape(batch, 1, channels));   // (batch, P + 1, E)
            INDArray filter = parameters.get(prefix + "conv." + i + ".weight");               // (k, E)
            INDArray out = Nd4j.zeros(v.dataType(), batch, channels)
                    .addiRowVector(parameters.get(prefix + "conv." + i + ".bias"));
            for (int j = 0; j < k; j++) {   // window position j·δ holds the input at t − (k−1−j)·δ
                INDArray tap = window.get(NDArrayIndex.all(), NDArrayIndex.point((long) j * dilation),
                        NDArrayIndex.all());
                out.addi(tap.mulRowVector(filter.getRow(j)));
            }
            s.windows[i] = window.get(NDArrayIndex.all(), NDArrayIndex.interval(1, window.size(1)),
                    NDArrayIndex.all()).dup();
            v = Layers.silu(out);
        }
        return v.mul(Layers.silu(gate)).mmul(parameters.get(prefix + "out"));                // (batch, d)
    }
}
