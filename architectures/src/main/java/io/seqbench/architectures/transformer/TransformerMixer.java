package io.seqbench.architectures.transformer;

import io.seqbench.architectures.Graph;
import io.seqbench.architectures.Init;
import io.seqbench.architectures.Mixer;
import io.seqbench.architectures.MixerContext;
import io.seqbench.architectures.MixerState;
import io.seqbench.architectures.Parameters;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Objects;

/**
 * Causal multi-head self-attention (Vaswani et al., 2017, "Attention Is All You Need", NeurIPS), the mixer of
 * the Transformer family, with learned, sinusoidal or rotary positions.
 *
 * <p>For the mixer input x (L, d) of one sequence (already normalised by the backbone), H heads of size
 * d_h = d / H, and positions p = 0 … L−1:
 * <pre>
 *   x'          = x + P                                  learned or sinusoidal positions; x' = x for RoPE
 *   [Q K V]     = x' W_qkv                                W_qkv (d, 3d); each of Q, K, V is H blocks of d_h
 *   Q_h, K_h    ← R_p Q_h, R_p K_h   (RoPE only)          rotate row p of each head by the angles p·θ_i
 *   S_h         = Q_h K_hᵀ / √d_h + M                      M[t, j] = 0 for j ≤ t, −1e9 for j &gt; t (causal)
 *   A_h         = softmax(S_h) along j
 *   y           = [A_1 V_1 … A_H V_H] W_o                 W_o (d, d); y is the mixer output (L, d)
 * </pre>
 * Sinusoidal positions (the paper's §3.5): P[p, 2i] = sin(p / 10000^(2i/d)), P[p, 2i+1] = cos(p / 10000^(2i/d)).
 * Learned positions: P is a trained table of {@code maxLength} rows (from {@link MixerContext#maxLength()}), so
 * such a mixer cannot run beyond that length ({@link #supportsLength}). RoPE (Su et al., 2021, "RoFormer"):
 * θ_i = rope_base^(−2i/d_h), i = 0 … d_h/2 − 1, and dimension i of a head is rotated together with dimension
 * i + d_h/2 (the "rotate half" layout of GPT-NeoX and LLaMA):
 * <pre>
 *   R_p [a ; b] = [a ⊙ cos(pθ) − b ⊙ sin(pθ) ; b ⊙ cos(pθ) + a ⊙ sin(pθ)]     a, b: the two halves of a head
 * </pre>
 * so that (R_m q)·(R_n k) depends on the positions only through m − n. The paper (and RoFormer) pairs
 * dimensions 2i and 2i+1 instead; the two layouts differ by a fixed permutation of each head's dimensions, which
 * W_qkv absorbs, so they describe the same family of models. The half layout is chosen because the graph
 * form then needs only whole-tensor ops (a product with a constant permutation matrix that swaps the two
 * halves, and elementwise products with constant cos/sin tables) instead of strided gathers of even and odd
 * dimensions.
 *
 * <p>Glossary (paper → code): d_model → {@code d}; h → {@code heads}; d_k = d_v → {@code headSize};
 * W^Q, W^K, W^V (per head, concatenated) → {@code w_qkv}; W^O → {@code w_o}; PE → {@code P}
 * ({@code positionTable}, or the learned parameter {@code positions}); RoPE base 10000 → {@code rope_base};
 * n (sequence length) → L; the causal "masking out (setting to −∞)" of the decoder → the additive mask M.
 *
 * <p>Where SeqBench departs from the paper:
 * <ul>
 *   <li>Pre-norm block (norm → attention → residual, then norm → MLP → residual), as in GPT-2, not the
 *       paper's post-norm; the norm and the MLP belong to the shared backbone (the suite's Transformer specs set
 *       {@code mlp_ratio: 4}, the paper's d_ff = 4·d_model), and the MLP uses GELU instead of ReLU.</li>
 *   <li>Positions are part of the mixer, so every block adds its own positions to its (normalised) mixer input
 *       — each block has its own learned table, or adds the same sinusoidal table — rather than adding them
 *       once to the embeddings. Every block is therefore identical in form and size, and positions are
 *       visible to every attention layer (as in DETR-style per-layer position encodings). The residual
 *       stream itself never carries P.</li>
 *   <li>No biases in the projections, no dropout, no cross-attention (decoder-only).</li>
 *   <li>The mask is a finite −1e9 rather than −∞: exp underflows to exactly 0 in float and double, so masked
 *       weights are exactly zero (causality holds bit for bit) unless a future score exceeded the row's
 *       largest visible score by about 1e9, and the softmax never sees −∞ − (−∞) = NaN. The diagonal is
 *       never masked, so every row has a finite maximum. In DOUBLE graphs that maximum is subtracted before
 *       ND4J's softmax, because ND4J 1.0.0-M2.1's DOUBLE softmax does not subtract a negative row maximum and
 *       returns NaN once every score of a row is below about −745; its FLOAT softmax is stabilised, so float
 *       graphs skip the two extra ops.</li>
 * </ul>
 *
 * <p>Generation ({@link #step}) keeps a KV cache: the (rotated) keys and the values of every position seen,
 * 2·t·d scalars per sequence after t tokens; a new token attends to all of them. The parallel form costs
 * O(L²·d) time and O(H·L²) memory per sequence for the attention weights.
 */
public final class TransformerMixer implements Mixer {
    public static final String TYPE = "transformer";

    /** Additive mask value for future positions (see the class comment: finite, so never NaN). */
    static final double MASKED = -1e9;
    /** The paper's constant for sinusoidal positions. */
    static final double SINUSOID_BASE = 10000.0;

    /** How positions enter the attention. */
    public enum Positions {
        /** A trained table (maxLength, d) added to the mixer input; refuses longer sequences. */
        LEARNED,
        /** The paper's fixed sin/cos table added to the mixer input; any length. */
        SINUSOIDAL,
        /** Rotary position embedding of queries and keys (Su et al., 2021); any length. */
        ROPE
    }

    /**
     * Attention options.
     *
     * @param heads     number of attention heads H; d_model must be divisible by it (and d_model / H even for
     *                  RoPE)
     * @param positions how positions enter: learned, sinusoidal or rope
     * @param ropeBase  base of RoPE's frequencies θ_i = rope_base^(−2i/d_h) (10000 in RoFormer); read only when
     *                  positions is rope
     */
    public record Config(int heads, Positions positions, double ropeBase) {
        /** RoPE: no maximum length, so the same model can be evaluated beyond its training length. */
        public static final Config DEFAULTS = new Config(4, Positions.ROPE, 10000.0);
        /** The other position encodings, so the registry-wide property tests cover each. */
        public static final List<Config> VARIANTS = List.of(DEFAULTS.withPositions(Positions.LEARNED),
                DEFAULTS.withPositions(Positions.SINUSOIDAL));

        public Config {
            if (heads < 1) {
                throw new IllegalArgumentException("heads: must be ≥ 1, got " + heads);
            }
            if (positions == null) {
                throw new IllegalArgumentException("positions: must be one of learned, sinusoidal, rope");
            }
            if (!(ropeBase > 1.0) || Double.isInfinite(ropeBase)) {
                throw new IllegalArgumentException("rope_base: must be a finite number > 1, got " + ropeBase);
            }
        }

        /** This config with another number of heads. */
        public Config withHeads(int h) {
            return new Config(h, positions, ropeBase);
        }

        /** This config with other positions. */
        public Config withPositions(Positions p) {
            return new Config(heads, p, ropeBase);
        }
    }

    private final Config config;
    private final String prefix;
    private final int d;
    private final int heads;
    private final int headSize;
    private final int maxLength;
    private final Parameters parameters;

    /**
     * Creates the mixer's parameters: {@code w_qkv} (d, 3d), {@code w_o} (d, d) and, for learned positions,
     * {@code positions} (maxLength, d).
     *
     * @throws IllegalArgumentException when d_model is not divisible by heads, or the head size is odd with RoPE
     */
    public TransformerMixer(Config config, MixerContext context) {
        this.config = Objects.requireNonNull(config, "config");
        this.prefix = context.prefix();
        this.d = context.dModel();
        this.heads = config.heads();
        if (d % heads != 0) {
            throw new IllegalArgumentException("heads: d_model " + d + " must be divisible by heads, got heads "
                    + heads + " (allowed: divisors of " + d + ")");
        }
        this.headSize = d / heads;
        if (config.positions() == Positions.ROPE && headSize % 2 != 0) {
            throw new IllegalArgumentException("heads: rope positions need an even head size d_model / heads, got "
                    + d + " / " + heads + " = " + headSize);
        }
        this.maxLength = context.maxLength();
        this.parameters = context.parameters();
        parameters.create(prefix + "w_qkv", Init.fanIn(d), d, 3L * d);
        // residual-branch output scaled by 1/sqrt(2·layers), as in GPT-2 (and the backbone's MLP)
        parameters.create(prefix + "w_o", Init.uniform(1.0 / Math.sqrt(d) / Math.sqrt(2.0 * context.layers())),
                d, d);
        if (config.positions() == Positions.LEARNED) {
            if (maxLength < 1) {
                throw new IllegalArgumentException("positions: learned positions need a maximum length ≥ 1, got "
                        + maxLength);
            }
            parameters.create(prefix + "positions", Init.normal(0.02), maxLength, d);
        }
    }

    public Config config() {
        return config;
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public boolean supportsLength(int length) {
        return length >= 1 && (config.positions() != Positions.LEARNED || length <= maxLength);
    }

    /** 2·L·d: the keys and values of every position seen (RoPE-rotated keys; positions need no state). */
    @Override
    public long stateSize(int contextLength) {
        return 2L * contextLength * d;
    }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        int b = g.batch();
        int length = g.length();
        requireSupported(length);
        SameDiff sd = g.sd();
        long rows = (long) b * heads;                                                  // B·H
        SDVariable in = switch (config.positions()) {
            case LEARNED -> x.add(learnedRows(g, length));                             // (B, L, d) + (L, d)
            case SINUSOIDAL -> x.add(constant(g, sinusoidTable(length, d), length, d));
            case ROPE -> x;
        };
        SDVariable qkv = in.reshape((long) b * length, d)                              // (B·L, d)
                .mmul(g.param(prefix + "w_qkv"))                                       // (B·L, 3d)
                .reshape(b, length, 3, heads, headSize)                                // (B, L, 3, H, dh)
                .permute(2, 0, 3, 1, 4)                                                // (3, B, H, L, dh)
                .reshape(3, rows, length, headSize);                                   // (3, B·H, L, dh)
        if (config.positions() == Positions.ROPE) {
            double[][][] tables = ropeTables(length, headSize, config.ropeBase());     // (2, L, dh)
            // q and k are rotated, v passes through (cos 1, sin 0): one rotation over the stacked tensor. The
            // tables are expanded to the tensor's full shape: the backward pass of a broadcasting multiply
            // also reduces a gradient for the (constant) table, which made it ~50× slower than the forward.
            long[] shape = {3, rows, length, headSize};
            SDVariable cos = expandedConstant(g, stackQkv(tables[0], 1.0), shape);
            SDVariable sin = expandedConstant(g, stackQkv(tables[1], 0.0), shape);
            qkv = rotateHalves(sd, qkv, shape, cos, sin);
        }
        SDVariable[] parts = sd.unstack(qkv, 0, 3);                                   // q, k, v: (B·H, L, dh)
        SDVariable q = parts[0].mul(g.scalar(1.0 / Math.sqrt(headSize)));
        SDVariable scores = sd.mmul(q, parts[1], false, true, false)                   // (B·H, L, L)
                .add(constant(g, causalMask(length), length, length));
        if (g.dataType() == DataType.DOUBLE) {
            // ND4J's DOUBLE softmax does not subtract a negative row maximum (NaN once a whole row is below
            // −745); its FLOAT softmax does, so the shift (which changes nothing mathematically) is paid in
            // double graphs only. TransformerMixerTest checks both precisions on such rows.
            scores = scores.sub(scores.max(true, 2));
        }
        SDVariable weights = sd.nn.softmax(scores, 2);                                 // (B·H, L, L) over keys
        return sd.mmul(weights, parts[2])                                              // (B·H, L, dh)
                .reshape(b, heads, length, headSize)                                   // (B, H, L, dh)
                .permute(0, 2, 1, 3)                                                   // (B, L, H, dh)
                .reshape((long) b * length, d)                                         // (B·L, d)
                .mmul(g.param(prefix + "w_o"))                                         // (B·L, d)
                .reshape(b, length, d);                                                // (B, L, d)
    }

    /** Rows 0 … length−1 of the learned table, (length, d). */
    private SDVariable learnedRows(Graph g, int length) {
        SDVariable table = g.param(prefix + "positions");                              // (maxLength, d)
        return length == maxLength ? table : g.sd().slice(table, new int[]{0, 0}, length, d);
    }

    private void requireSupported(int length) {
        if (!supportsLength(length)) {
            throw new IllegalArgumentException(lengthMessage(length));
        }
    }

    private String lengthMessage(int length) {
        if (length < 1) {
            return "length must be ≥ 1, got " + length;
        }
        return "positions: learned positions have a table of " + maxLength + " rows (the model's maximum length),"
                + " so length " + length + " is beyond it; build the model for a longer maximum length or use"
                + " positions sinusoidal or rope, which have no maximum";
    }

    // ---- the rotation, shared by the graph and the tests ----

    /**
     * Rotates every head vector of t by its position (RoPE, "rotate half" layout): t ⊙ cos + swap(t) ⊙ sin,
     * where swap exchanges the two halves of the last axis and the sin table carries the signs [−sin ; sin].
     * The swap is a product with a constant (dh, dh) permutation matrix: ND4J's {@code reverse} op, the obvious
     * alternative, takes about a second per call at (3, 64, 256, 2, 8) on the CPU backend, while the (·, dh) ×
     * (dh, dh) product is a few milliseconds.
     *
     * @param t     (…, L, dh) with dh even
     * @param shape t's shape (static)
     * @param cos   [cos ; cos] table, broadcastable to t, e.g. (L, dh)
     * @param sin   [−sin ; sin] table, broadcastable to t
     * @return t rotated, same shape
     */
    static SDVariable rotateHalves(SameDiff sd, SDVariable t, long[] shape, SDVariable cos, SDVariable sin) {
        int dh = (int) shape[shape.length - 1];
        long vectors = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            vectors *= shape[i];
        }
        double[][] swap = new double[dh][dh];                                          // [a ; b] ↦ [b ; a]
        for (int i = 0; i < dh / 2; i++) {
            swap[i][i + dh / 2] = 1;
            swap[i + dh / 2][i] = 1;
        }
        SDVariable swapped = t.reshape(vectors, dh)                                    // (…·L, dh)
                .mmul(sd.constant(Nd4j.createFromArray(swap).castTo(t.dataType())))
                .reshape(shape);                                                       // (…, L, dh)
        return t.mul(cos).add(swapped.mul(sin));
    }

    /**
     * RoPE tables for positions 0 … length−1: [0] = [cos(pθ) ; cos(pθ)], [1] = [−sin(pθ) ; sin(pθ)], each
     * (length, dh), θ_i = base^(−2i/dh).
     */
    static double[][][] ropeTables(int length, int headSize, double base) {
        double[][][] tables = new double[2][length][];
        for (int p = 0; p < length; p++) {
            double[] angles = ropeAngles(p, headSize, base);
            int half = headSize / 2;
            double[] cos = new double[headSize];
            double[] sin = new double[headSize];
            for (int i = 0; i < half; i++) {
                double c = Math.cos(angles[i]);
                double s = Math.sin(angles[i]);
                cos[i] = c;
                cos[i + half] = c;
                sin[i] = -s;
                sin[i + half] = s;
            }
            tables[0][p] = cos;
            tables[1][p] = sin;
        }
        return tables;
    }

    /** The angles p·θ_i, i = 0 … dh/2 − 1, θ_i = base^(−2i/dh). */
    static double[] ropeAngles(int position, int headSize, double base) {
        double[] angles = new double[headSize / 2];
        for (int i = 0; i < angles.length; i++) {
            angles[i] = position * Math.pow(base, -2.0 * i / headSize);
        }
        return angles;
    }

    /** The paper's sinusoidal table (length, d): sin at even columns, cos at odd ones. */
    static double[][] sinusoidTable(int length, int d) {
        double[][] table = new double[length][];
        for (int p = 0; p < length; p++) {
            table[p] = sinusoidRow(p, d);
        }
        return table;
    }

    /** Row p of {@link #sinusoidTable}. */
    static double[] sinusoidRow(int position, int d) {
        double[] row = new double[d];
        for (int j = 0; j < d; j++) {
            double angle = position / Math.pow(SINUSOID_BASE, (j - j % 2) / (double) d);
            row[j] = j % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
        }
        return row;
    }

    /** (length, length): 0 on and below the diagonal, {@link #MASKED} above it. */
    static double[][] causalMask(int length) {
        double[][] mask = new double[length][length];
        for (int t = 0; t < length; t++) {
            for (int j = t + 1; j < length; j++) {
                mask[t][j] = MASKED;
            }
        }
        return mask;
    }

    /** (3, L, dh) from a (L, dh) table for q and k and the constant {@code forV} for v. */
    private static double[][][] stackQkv(double[][] table, double forV) {
        double[][] v = new double[table.length][table[0].length];
        for (double[] row : v) {
            java.util.Arrays.fill(row, forV);
        }
        return new double[][][]{table, table, v};
    }

    private static SDVariable constant(Graph g, double[][] values, long... shape) {
        return constant(g, Nd4j.createFromArray(values), shape);
    }

    /** A (3, L, dh) table repeated along a new axis 1 to {@code shape} (3, B·H, L, dh), as a constant. */
    private static SDVariable expandedConstant(Graph g, double[][][] table, long[] shape) {
        INDArray small = Nd4j.createFromArray(table).castTo(g.dataType())
                .reshape('c', shape[0], 1, shape[2], shape[3]);
        return g.sd().constant(small.broadcast(shape).dup('c'));
    }

    private static SDVariable constant(Graph g, INDArray values, long... shape) {
        return g.sd().constant(values.reshape('c', shape).castTo(g.dataType()));
    }

    // ---- recurrent form: KV cache ----

    /**
     * The KV cache of one mixer: rotated keys and values of every position seen, (batch·H, capacity, dh)
     * each, of which the first {@code length} positions are filled. The capacity doubles when full, so the
     * allocation is at most twice the {@link #elementsPerSequence()} reported.
     */
    static final class KvCache implements MixerState {
        private final int d;
        INDArray keys;
        INDArray values;
        int length;

        KvCache(int d, INDArray keys, INDArray values) {
            this.d = d;
            this.keys = keys;
            this.values = values;
        }

        /** 2·t·d after t tokens. */
        @Override
        public long elementsPerSequence() {
            return 2L * length * d;
        }

        /** Positions the buffers can hold before they grow. */
        int capacity() {
            return (int) keys.size(1);
        }
    }

    private static final int INITIAL_CAPACITY = 16;

    @Override
    public MixerState initialState(int batch) {
        DataType type = parameters.dataType();
        return new KvCache(d, Nd4j.zeros(type, (long) batch * heads, INITIAL_CAPACITY, headSize),
                Nd4j.zeros(type, (long) batch * heads, INITIAL_CAPACITY, headSize));
    }

    @Override
    public INDArray step(MixerState state, INDArray x) {
        KvCache cache = (KvCache) state;
        int position = cache.length;
        if (!supportsLength(position + 1)) {
            throw new IllegalStateException(lengthMessage(position + 1));
        }
        long batch = x.size(0);
        long rows = batch * heads;
        DataType type = parameters.dataType();
        INDArray in = switch (config.positions()) {
            case LEARNED -> x.addRowVector(parameters.get(prefix + "positions").getRow(position));
            case SINUSOIDAL -> x.addRowVector(Nd4j.createFromArray(sinusoidRow(position, d)).castTo(type));
            case ROPE -> x;
        };
        INDArray qkv = in.mmul(parameters.get(prefix + "w_qkv"));                      // (batch, 3d)
        INDArray q = head(qkv, 0, rows);                                              // (batch·H, dh)
        INDArray k = head(qkv, 1, rows);
        INDArray v = head(qkv, 2, rows);
        if (config.positions() == Positions.ROPE) {
            double[] angles = ropeAngles(position, headSize, config.ropeBase());
            q = rotate(q, angles);
            k = rotate(k, angles);
        }
        if (position == cache.capacity()) {
            cache.keys = grow(cache.keys);
            cache.values = grow(cache.values);
        }
        cache.keys.get(NDArrayIndex.all(), NDArrayIndex.point(position), NDArrayIndex.all()).assign(k);
        cache.values.get(NDArrayIndex.all(), NDArrayIndex.point(position), NDArrayIndex.all()).assign(v);
        cache.length = position + 1;

        INDArray keys = cache.keys.get(NDArrayIndex.all(), NDArrayIndex.interval(0, cache.length),
                NDArrayIndex.all());                                                   // (batch·H, t, dh)
        INDArray values = cache.values.get(NDArrayIndex.all(), NDArrayIndex.interval(0, cache.length),
                NDArrayIndex.all());                                                   // (batch·H, t, dh)
        INDArray scaled = q.mul(1.0 / Math.sqrt(headSize)).reshape(rows, headSize, 1);  // (batch·H, dh, 1)
        INDArray scores = Nd4j.matmul(keys, scaled).reshape(rows, cache.length);       // (batch·H, t)
        scores.subiColumnVector(scores.max(true, 1));      // ND4J's DOUBLE softmax needs the shift (see forward)
        INDArray weights = Nd4j.exec(new SoftMax(scores, scores.ulike(), 1))[0];       // (batch·H, t)
        INDArray mixed = Nd4j.matmul(weights.reshape(rows, 1, cache.length), values);  // (batch·H, 1, dh)
        return mixed.reshape(batch, d).mmul(parameters.get(prefix + "w_o"));           // (batch, d)
    }

    /** Block {@code which} (0 = q, 1 = k, 2 = v) of qkv (batch, 3d), as (batch·H, dh). */
    private INDArray head(INDArray qkv, int which, long rows) {
        return qkv.get(NDArrayIndex.all(), NDArrayIndex.interval((long) which * d, (long) (which + 1) * d))
                .dup('c').reshape(rows, headSize);
    }

    /** Eager RoPE of t (n, dh) at one position: [a cos − b sin ; b cos + a sin]. */
    static INDArray rotate(INDArray t, double[] angles) {
        int half = angles.length;
        double[] c = new double[half];
        double[] s = new double[half];
        for (int i = 0; i < half; i++) {
            c[i] = Math.cos(angles[i]);
            s[i] = Math.sin(angles[i]);
        }
        INDArray cos = Nd4j.createFromArray(c).castTo(t.dataType());
        INDArray sin = Nd4j.createFromArray(s).castTo(t.dataType());
        INDArray a = t.get(NDArrayIndex.all(), NDArrayIndex.interval(0, half));
        INDArray b = t.get(NDArrayIndex.all(), NDArrayIndex.interval(half, 2L * half));
        return Nd4j.hstack(a.mulRowVector(cos).subi(b.mulRowVector(sin)),
                b.mulRowVector(cos).addi(a.mulRowVector(sin)));
    }

    /** A buffer with twice the positions, the old contents copied in. */
    private static INDArray grow(INDArray buffer) {
        INDArray bigger = Nd4j.zeros(buffer.dataType(), buffer.size(0), 2 * buffer.size(1), buffer.size(2));
        bigger.get(NDArrayIndex.all(), NDArrayIndex.interval(0, buffer.size(1)), NDArrayIndex.all()).assign(buffer);
        return bigger;
    }
}
