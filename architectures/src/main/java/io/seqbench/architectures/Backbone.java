package io.seqbench.architectures;

import io.seqbench.architectures.nn.Layers;
import io.seqbench.kernels.embedding.EmbeddingOp;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one model every architecture shares:
 * <pre>
 *   tokens → embedding → N × [ x = x + mixer(norm(x)) ; (x = x + mlp(norm(x))) ] → norm → LM head → logits
 * </pre>
 * Only the mixer differs between families (STYLE: "the residual block is three lines"). The backbone has a
 * parallel form (a SameDiff graph over whole sequences, {@link #graph}) and a recurrent form for generation
 * ({@link #startGeneration}, {@link #step}); they compute the same function.
 *
 * <p>Parameter names: {@code embed.weight} (vocab, d); per block i: {@code layers.i.norm.*}, the mixer's
 * {@code layers.i.mixer.*}, and with an MLP {@code layers.i.mlp_norm.*}, {@code layers.i.mlp.w1} (d, r·d),
 * {@code b1}, {@code w2} (r·d, d), {@code b2}; then {@code norm_f.*}, {@code head.weight} (d, vocab),
 * {@code head.bias} (vocab).
 */
public final class Backbone {
    private static final int GRAPH_CACHE = 4;

    private final ModelConfig config;
    private final ArchitectureType<?> architecture;
    private final int vocabSize;
    private final Parameters parameters;
    private final List<Mixer> mixers = new ArrayList<>();
    private final Map<Long, ModelGraph> graphs = new LinkedHashMap<>(8, 0.75f, true);

    /**
     * Creates the model and initialises its parameters deterministically from {@code seed}.
     *
     * @param config    the model section of the spec
     * @param vocabSize tokens in the task's vocabulary
     * @param maxLength the longest sequence the model will see (for learned positions)
     * @param seed      initialisation seed
     * @param dataType  FLOAT for training, DOUBLE for gradient checks
     */
    public Backbone(ModelConfig config, int vocabSize, int maxLength, long seed, DataType dataType) {
        if (vocabSize < 2) {
            throw new IllegalArgumentException("vocabulary must have ≥ 2 tokens, got " + vocabSize);
        }
        this.config = config;
        this.architecture = Architectures.get(config.type());
        this.vocabSize = vocabSize;
        this.parameters = new Parameters(seed, dataType);
        int d = config.dModel();
        parameters.create("embed.weight", Init.normal(0.02), vocabSize, d);
        for (int i = 0; i < config.layers(); i++) {
            String block = "layers." + i + ".";
            config.norm().createParameters(parameters, block + "norm.", d);
            mixers.add(architecture.create(config.mixer(),
                    new MixerContext(d, i, config.layers(), maxLength, parameters)));
            if (config.mlpRatio() > 0) {
                int hidden = config.mlpRatio() * d;
                config.norm().createParameters(parameters, block + "mlp_norm.", d);
                parameters.create(block + "mlp.w1", Init.fanIn(d), d, hidden);
                parameters.create(block + "mlp.b1", Init.zeros(), hidden);
                // residual-branch output scaled by 1/sqrt(2·layers), as in GPT-2
                parameters.create(block + "mlp.w2", Init.uniform(1.0 / Math.sqrt(hidden)
                        / Math.sqrt(2.0 * config.layers())), hidden, d);
                parameters.create(block + "mlp.b2", Init.zeros(), d);
            }
        }
        config.norm().createParameters(parameters, "norm_f.", d);
        parameters.create("head.weight", Init.fanIn(d), d, vocabSize);
        parameters.create("head.bias", Init.zeros(), vocabSize);
    }

    public ModelConfig config() {
        return config;
    }

    public ArchitectureType<?> architecture() {
        return architecture;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public Parameters parameters() {
        return parameters;
    }

    public List<Mixer> mixers() {
        return List.copyOf(mixers);
    }

    /** Total scalar parameters. */
    public long parameterCount() {
        return parameters.count();
    }

    /** Inference state per sequence, in scalars, after {@code contextLength} tokens (sum over mixers). */
    public long stateSize(int contextLength) {
        long total = 0;
        for (Mixer m : mixers) {
            total += m.stateSize(contextLength);
        }
        return total;
    }

    /** Whether every mixer can run at this length. */
    public boolean supportsLength(int length) {
        return mixers.stream().allMatch(m -> m.supportsLength(length));
    }

    /** The graph at this batch size and length (built once, then cached). */
    public synchronized ModelGraph graph(int batch, int length) {
        if (!supportsLength(length)) {
            throw new IllegalArgumentException(config.type() + " cannot run at length " + length);
        }
        long key = ((long) batch << 32) | length;
        ModelGraph g = graphs.get(key);
        if (g == null) {
            g = build(batch, length);
            graphs.put(key, g);
            if (graphs.size() > GRAPH_CACHE) {
                Long eldest = graphs.keySet().iterator().next();
                graphs.remove(eldest);
            }
        }
        return g;
    }

    /** Drops the cached graphs (and the activation memory they hold); they are rebuilt on demand. */
    public synchronized void clearGraphs() {
        graphs.clear();
    }

    private ModelGraph build(int batch, int length) {
        SameDiff sd = SameDiff.create();
        DataType type = parameters.dataType();
        for (Map.Entry<String, INDArray> p : parameters.all().entrySet()) {
            SDVariable v = sd.var(p.getKey(), p.getValue());
            if (v.getArr() != p.getValue()) {   // every graph of the model must see in-place updates
                throw new IllegalStateException("SameDiff copied parameter " + p.getKey() + " instead of sharing it");
            }
        }
        Graph g = new Graph(sd, batch, length, type);
        int d = config.dModel();

        SDVariable tokens = sd.placeHolder(ModelGraph.TOKENS, DataType.INT32, batch, length);
        SDVariable x = new EmbeddingOp(sd, g.param("embed.weight"), tokens).outputVariable();   // (B, L, d)
        for (int i = 0; i < mixers.size(); i++) {
            String block = "layers." + i + ".";
            x = x.add(mixers.get(i).forward(g, config.norm().forward(g, block + "norm.", x)));
            if (config.mlpRatio() > 0) {
                x = x.add(mlp(g, block, config.norm().forward(g, block + "mlp_norm.", x)));
            }
        }
        x = config.norm().forward(g, "norm_f.", x);
        SDVariable logits = x.reshape((long) batch * length, d).mmul(g.param("head.weight"))
                .add(g.param("head.bias"));                                                   // (B·L, V)
        sd.updateVariableNameAndReference(logits, ModelGraph.LOGITS);

        SDVariable targets = sd.placeHolder(ModelGraph.TARGETS, DataType.INT32, (long) batch * length);
        SDVariable mask = sd.placeHolder(ModelGraph.MASK, type, (long) batch * length);
        // Manual masked cross-entropy: ND4J's loss ops ignore the incoming gradient (ND4J-NOTES), and the
        // no-dimension logSoftmax is the form that survives the gradient clone.
        SDVariable logProbs = sd.nn.logSoftmax(logits);                                       // (B·L, V)
        SDVariable oneHot = sd.oneHot(targets, vocabSize, -1, 1.0, 0.0, type);               // (B·L, V)
        SDVariable nll = oneHot.mul(logProbs).sum(1).neg();                                   // (B·L)
        SDVariable count = sd.math.max(mask.sum(), g.scalar(1.0));
        SDVariable loss = nll.mul(mask).sum().div(count);
        sd.updateVariableNameAndReference(loss, ModelGraph.LOSS);
        sd.setLossVariables(ModelGraph.LOSS);
        return new ModelGraph(sd, batch, length, new ArrayList<>(parameters.all().keySet()));
    }

    private SDVariable mlp(Graph g, String block, SDVariable x) {
        SDVariable h = Layers.gelu(g, Layers.linear(g, x, g.param(block + "mlp.w1"), g.param(block + "mlp.b1")));
        return Layers.linear(g, h, g.param(block + "mlp.w2"), g.param(block + "mlp.b2"));
    }

    // ---- recurrent form ----

    /** The recurrent state of a whole model during generation. */
    public static final class Generation {
        private final List<MixerState> states;
        private int position;

        Generation(List<MixerState> states) {
            this.states = states;
        }

        /** Tokens consumed so far. */
        public int position() {
            return position;
        }

        /** Scalars of recurrent state per sequence right now, over all mixers. */
        public long elementsPerSequence() {
            long n = 0;
            for (MixerState s : states) {
                n += s.elementsPerSequence();
            }
            return n;
        }
    }

    /** A fresh generation state for {@code batch} sequences. */
    public Generation startGeneration(int batch) {
        List<MixerState> states = new ArrayList<>();
        for (Mixer m : mixers) {
            states.add(m.initialState(batch));
        }
        return new Generation(states);
    }

    /**
     * Consumes one token per sequence and returns the logits for the next one.
     *
     * @param generation the state from {@link #startGeneration}; advanced in place
     * @param tokens     (batch) INT32 token ids at the current position
     * @return (batch, vocab) logits, equal to row t of the parallel form's logits
     */
    public INDArray step(Generation generation, INDArray tokens) {
        INDArray x = Nd4j.exec(new EmbeddingOp(parameters.get("embed.weight"), tokens))[0];   // (batch, d)
        for (int i = 0; i < mixers.size(); i++) {
            String block = "layers." + i + ".";
            INDArray h = config.norm().apply(parameters, block + "norm.", x);
            x = x.add(mixers.get(i).step(generation.states.get(i), h));
            if (config.mlpRatio() > 0) {
                INDArray m = config.norm().apply(parameters, block + "mlp_norm.", x);
                INDArray hidden = Layers.gelu(Layers.linear(m, parameters.get(block + "mlp.w1"),
                        parameters.get(block + "mlp.b1")));
                x = x.add(Layers.linear(hidden, parameters.get(block + "mlp.w2"), parameters.get(block + "mlp.b2")));
            }
        }
        x = config.norm().apply(parameters, "norm_f.", x);
        generation.position++;
        return Layers.linear(x, parameters.get("head.weight"), parameters.get("head.bias"));
    }
}
