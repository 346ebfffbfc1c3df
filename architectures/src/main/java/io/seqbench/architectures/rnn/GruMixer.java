package io.seqbench.architectures.rnn;

import io.seqbench.architectures.Graph;
import io.seqbench.architectures.Init;
import io.seqbench.architectures.Mixer;
import io.seqbench.architectures.MixerContext;
import io.seqbench.architectures.MixerState;
import io.seqbench.architectures.Parameters;
import io.seqbench.architectures.nn.Layers;
import io.seqbench.kernels.rnn.GruOp;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * GRU mixer (Cho et al., 2014, "Learning Phrase Representations using RNN Encoder–Decoder for Statistical
 * Machine Translation"), hidden size = d_model, on SeqBench's fused {@link GruOp}.
 *
 * <p>Per position t, with x_t the (normalised) input and h_0 = 0, in PyTorch's gate convention:
 * <pre>
 *   xp_t = x_t W + b_i                              W (d, 3d), b_i (3d); blocks r, z, n; one matrix product
 *   a_t  = h_{t−1} U + b_h                          U (d, 3d), b_h (3d); inside the op
 *   r_t  = σ(xp_r + a_r)                            reset gate
 *   z_t  = σ(xp_z + a_z)                            update gate
 *   n_t  = tanh(xp_n + r_t ⊙ a_n)                   candidate state
 *   h_t  = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}           the mixer's output at t
 * </pre>
 *
 * <p>Glossary (paper → code): x_t → {@code x}; W_r, W_z, W (input weights) → the column blocks of {@code w};
 * U_r, U_z, U (recurrent weights) → the blocks of {@code u}; r, z → r, z; h̃_t (candidate) → n_t; h_t → h.
 * The biases {@code b_i} and {@code b_h} are PyTorch's b_i* and b_h*.
 *
 * <p>Where SeqBench departs from the paper: (1) the paper's update rule is h_t = z ⊙ h_{t−1} + (1 − z) ⊙ h̃_t
 * with the reset gate applied before the recurrent product, h̃ = tanh(W x + U (r ⊙ h_{t−1})); SeqBench follows
 * PyTorch's {@code nn.GRU} and cuDNN instead, applying r after the product (r ⊙ (U_n h + b_hn)), which lets one
 * product h·U serve all three gates; (2) biases start at zero except the update-gate block of {@code b_h},
 * which starts at {@code update_bias} (positive values make z ≈ 1, so the state is carried forward early in
 * training, like an LSTM's forget bias); weights are uniform ±1/√d as in PyTorch.
 *
 * <p>Parameters per layer: 6d² + 6d. Inference state: h, d scalars per sequence, whatever the context length.
 * {@link #step} computes the same equations eagerly with ND4J, one token at a time.
 */
public final class GruMixer implements Mixer {
    public static final String TYPE = "gru";

    /**
     * GRU options.
     *
     * @param updateBias initial bias of the update gate z in {@code b_h} (0 = PyTorch-like start; positive
     *                   values carry the state forward early in training)
     */
    public record Config(double updateBias) {
        public static final Config DEFAULTS = new Config(1.0);

        public Config {
            if (!Double.isFinite(updateBias)) {
                throw new IllegalArgumentException("update_bias: must be a finite number, got " + updateBias);
            }
        }
    }

    private final String prefix;
    private final int d;
    private final Parameters parameters;

    public GruMixer(Config config, MixerContext context) {
        this.prefix = context.prefix();
        this.d = context.dModel();
        this.parameters = context.parameters();
        parameters.create(prefix + "w", Init.fanIn(d), d, 3L * d);
        parameters.create(prefix + "b_i", Init.zeros(), 3L * d);
        parameters.create(prefix + "u", Init.fanIn(d), d, 3L * d);
        INDArray recurrentBias = parameters.create(prefix + "b_h", Init.zeros(), 3L * d);
        recurrentBias.get(NDArrayIndex.interval(d, 2L * d)).assign(config.updateBias());   // the z block
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        SDVariable xp = Layers.linear(g, x, g.param(prefix + "w"), g.param(prefix + "b_i"));       // (B, L, 3d)
        return new GruOp(g.sd(), xp, g.param(prefix + "u"), g.param(prefix + "b_h")).outputVariable(); // (B, L, d)
    }

    @Override
    public long stateSize(int contextLength) {
        return d;
    }

    /** h, (batch, d). */
    static final class State implements MixerState {
        INDArray h;

        @Override
        public long elementsPerSequence() {
            return h.size(1);
        }
    }

    @Override
    public MixerState initialState(int batch) {
        State s = new State();
        s.h = Nd4j.zeros(parameters.dataType(), batch, d);
        return s;
    }

    @Override
    public INDArray step(MixerState state, INDArray x) {
        State s = (State) state;
        INDArray xp = Layers.linear(x, parameters.get(prefix + "w"), parameters.get(prefix + "b_i"));    // (batch, 3d)
        INDArray a = Layers.linear(s.h, parameters.get(prefix + "u"), parameters.get(prefix + "b_h"));   // (batch, 3d)
        INDArray r = Transforms.sigmoid(block(xp, 0).add(block(a, 0)), false);
        INDArray z = Transforms.sigmoid(block(xp, 1).add(block(a, 1)), false);
        INDArray n = Transforms.tanh(block(xp, 2).add(r.mul(block(a, 2))), false);
        s.h = z.rsub(1.0).muli(n).addi(z.mul(s.h));                                  // (1 − z) ⊙ n + z ⊙ h
        return s.h.dup();
    }

    /** Gate block i (0 = r, 1 = z, 2 = n) of a (batch, 3d) array. */
    private INDArray block(INDArray a, int i) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval((long) i * d, (long) (i + 1) * d));
    }
}
