package io.seqbench.architectures.rnn;

import io.seqbench.architectures.Graph;
import io.seqbench.architectures.Init;
import io.seqbench.architectures.Mixer;
import io.seqbench.architectures.MixerContext;
import io.seqbench.architectures.MixerState;
import io.seqbench.architectures.Parameters;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDataFormat;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDirectionMode;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMLayerConfig;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.weights.LSTMLayerWeights;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * LSTM mixer (Hochreiter &amp; Schmidhuber, 1997) on ND4J's fused {@code lstmLayer} op, hidden size = d_model.
 *
 * <p>Per position t, with x_t the input and [i f g o] the four gate blocks of z_t:
 * <pre>
 *   z_t = x_t W + h_{t−1} R + b            W (d, 4d), R (d, 4d), b (4d), blocks in lstmLayer's order i, f, g, o
 *   c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)
 *   h_t = σ(o) ⊙ tanh(c_t)                 the mixer's output at t
 * </pre>
 * The recurrent state is (h, c): 2·d scalars per sequence, whatever the context length. Initialisation follows
 * PyTorch (uniform ±1/√d) with the forget-gate bias set to {@code forget_bias} (Jozefowicz et al., 2015).
 */
public final class LstmMixer implements Mixer {
    public static final String TYPE = "lstm";

    /**
     * LSTM options.
     *
     * @param forgetBias initial bias of the forget gate (1.0 helps gradients flow early in training)
     */
    public record Config(double forgetBias) {
        public static final Config DEFAULTS = new Config(1.0);

        public Config {
            if (!Double.isFinite(forgetBias)) {
                throw new IllegalArgumentException("forget_bias: must be a finite number, got " + forgetBias);
            }
        }
    }

    private final String prefix;
    private final int d;
    private final Parameters parameters;

    public LstmMixer(Config config, MixerContext context) {
        this.prefix = context.prefix();
        this.d = context.dModel();
        this.parameters = context.parameters();
        parameters.create(prefix + "w", Init.fanIn(d), d, 4L * d);
        parameters.create(prefix + "r", Init.fanIn(d), d, 4L * d);
        INDArray bias = parameters.create(prefix + "b", Init.zeros(), 4L * d);
        bias.get(NDArrayIndex.interval(d, 2L * d)).assign(config.forgetBias());   // the f block
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        LSTMLayerConfig lstm = LSTMLayerConfig.builder()
                .lstmdataformat(LSTMDataFormat.NTS)          // (batch, time, features)
                .directionMode(LSTMDirectionMode.FWD)
                .retFullSequence(true)
                .retLastH(false)
                .retLastC(false)
                .build();
        LSTMLayerWeights weights = LSTMLayerWeights.builder()
                .weights(g.param(prefix + "w"))
                .rWeights(g.param(prefix + "r"))
                .bias(g.param(prefix + "b"))
                .build();
        return g.sd().rnn.lstmLayer(x, weights, lstm)[0];     // (B, L, d)
    }

    @Override
    public long stateSize(int contextLength) {
        return 2L * d;
    }

    /** (h, c), each (batch, d). */
    static final class State implements MixerState {
        INDArray h;
        INDArray c;

        @Override
        public long elementsPerSequence() {
            return h.size(1) + c.size(1);
        }
    }

    @Override
    public MixerState initialState(int batch) {
        State s = new State();
        s.h = Nd4j.zeros(parameters.dataType(), batch, d);
        s.c = Nd4j.zeros(parameters.dataType(), batch, d);
        return s;
    }

    @Override
    public INDArray step(MixerState state, INDArray x) {
        State s = (State) state;
        INDArray z = x.mmul(parameters.get(prefix + "w")).addi(s.h.mmul(parameters.get(prefix + "r")))
                .addiRowVector(parameters.get(prefix + "b"));                                   // (batch, 4d)
        INDArray i = Transforms.sigmoid(z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)), true);
        INDArray f = Transforms.sigmoid(z.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d)), true);
        INDArray gate = Transforms.tanh(z.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * d, 3 * d)), true);
        INDArray o = Transforms.sigmoid(z.get(NDArrayIndex.all(), NDArrayIndex.interval(3 * d, 4 * d)), true);
        s.c = f.mul(s.c).addi(i.mul(gate));
        s.h = o.mul(Transforms.tanh(s.c, true));
        return s.h.dup();
    }
}
