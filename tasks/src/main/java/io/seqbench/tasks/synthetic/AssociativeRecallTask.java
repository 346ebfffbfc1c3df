package io.seqbench.tasks.synthetic;

import io.seqbench.tasks.Batch;
import io.seqbench.tasks.Checks;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Multi-query associative recall, MQAR (Arora, Eyuboglu et al., 2023, "Zoology: Measuring and Improving Recall in
 * Efficient Language Models"): the sequence opens with P key-value pairs; later, each key appears once more as a
 * query, and at the query the model must predict that key's value. Many queries per sequence, at varying distances,
 * are what separates attention (which can look the pair up) from gated convolutions and small-state recurrences
 * (which must have stored every pair).
 *
 * <p>Layout, as in Zoology's {@code multiquery_ar}: the vocabulary V is split in halves; keys are drawn from
 * {@code [1, V/2)} and values from {@code [V/2, V)}, P distinct keys and P distinct values per sequence, uniformly.
 * Positions {@code 0 … 2P−1} hold {@code k1 v1 k2 v2 …}. The rest is the query region of
 * {@code S = ⌊(L − 2P)/2⌋} slots at even offsets: P distinct slots ("gaps") g are drawn without replacement with
 * probability ∝ {@code (g+1)^(alpha−1)}, and the i-th drawn slot holds the query for the i-th key, at position
 * {@code 2P + 2g}. With a small alpha (Zoology's default 0.01) queries cluster near the context, as repeated bigrams
 * do in natural text; {@code alpha = 1} spreads them uniformly; {@code alpha > 1} pushes them away. Every other
 * position of the query region is filler: token {@code 0}, or a token drawn uniformly from the whole vocabulary when
 * {@code randomNonQueries} (Zoology's default), so that a filler may look like a key but is never scored. The
 * answer is at the query position itself (the model reads the key and predicts its value there); only the P query
 * positions count.
 *
 * <p>Worked example, V = 12 (keys 1–5, values 6–11), P = 2, L = 16, {@code randomNonQueries = false}, gaps drawn
 * 2 then 5 ({@code ·} masked out):
 * <pre>
 *   position   0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 *   input      3  9  1  6  0  0  0  0  3  0  0  0  0  0  1  0
 *   target     ·  ·  ·  ·  ·  ·  ·  ·  9  ·  ·  ·  ·  ·  6  ·
 *   mask       0  0  0  0  0  0  0  0  1  0  0  0  0  0  1  0
 * </pre>
 *
 * <p>Length generalization: at another length L the pairs stay P and the query region grows or shrinks to
 * {@code ⌊(L − 2P)/2⌋} slots, with query gaps drawn by the same power law over the new range. Any {@code L ≥ 4P}
 * is allowed (odd L leaves one trailing filler). Gaps are drawn by weighted reservoir sampling (Efraimidis–Spirakis),
 * which is exactly sequential weighted sampling without replacement, in O(L) time; the only memory besides the
 * batch is one array of L/2 weights per call.
 */
public final class AssociativeRecallTask extends SyntheticTask<AssociativeRecallTask.Config> {
    public static final String TYPE = "mqar";
    /** The filler token when {@code randomNonQueries} is off. */
    public static final int FILLER = 0;

    /**
     * Configuration of MQAR.
     *
     * @param vocab            vocabulary size V (≥ 4); keys are {@code [1, V/2)}, values {@code [V/2, V)}
     * @param pairs            P, key-value pairs and queries per sequence (1 ≤ P ≤ V/2 − 1)
     * @param length           training sequence length (≥ 4P)
     * @param alpha            power-law exponent of the query gaps (Zoology's {@code power_a}), &gt; 0
     * @param randomNonQueries fill non-query positions with random tokens instead of {@code 0}
     */
    public record Config(int vocab, int pairs, int length, double alpha, boolean randomNonQueries) {
        /** CPU-sized default: 8 pairs in 64 tokens, vocabulary 128, Zoology's alpha and random fillers. */
        public static final Config DEFAULTS = new Config(128, 8, 64, 0.01, true);
        /**
         * Zoology's generator defaults: vocabulary 8192, 8 pairs, length 64, power_a 0.01, random non-queries. (The
         * paper's Figure 2 sweeps length 64 … 512 and pairs 4 … 64 at this vocabulary.)
         */
        public static final Config ZOOLOGY = new Config(8192, 8, 64, 0.01, true);

        public Config {
            Checks.require(vocab >= 4, "vocab", "must be ≥ 4", vocab);
            Checks.require(pairs >= 1, "pairs", "must be ≥ 1", pairs);
            Checks.require(pairs <= vocab / 2 - 1, "pairs",
                    "must be ≤ vocab/2 − 1 = " + (vocab / 2 - 1) + " (the number of distinct keys)", pairs);
            Checks.require(length >= 4L * pairs, "length", "must be ≥ 4·pairs = " + 4L * pairs, length);
            Checks.require(alpha > 0 && Double.isFinite(alpha), "alpha", "must be a finite number > 0", alpha);
        }

        /** Number of distinct keys, {@code V/2 − 1}. */
        public int keyCount() {
            return vocab / 2 - 1;
        }

        /** Number of distinct values, {@code V − V/2}. */
        public int valueCount() {
            return vocab - vocab / 2;
        }
    }

    public AssociativeRecallTask(Config config, long seed) {
        super(TYPE, config, seed);
    }

    @Override
    public int vocabSize() {
        return config().vocab();
    }

    @Override
    public int length() {
        return config().length();
    }

    @Override
    public boolean supportsLength(int length) {
        return length >= 4L * config().pairs();
    }

    @Override
    String lengthRule() {
        return "with pairs = " + config().pairs() + " needs length ≥ " + 4 * config().pairs();
    }

    @Override
    void fill(Batch batch, SplittableRandom random) {
        Config config = config();
        int length = batch.length();
        int batchSize = batch.batchSize();
        int p = config.pairs();
        int vocab = config.vocab();
        int firstValue = vocab / 2;
        int context = 2 * p;
        int slots = (length - context) / 2;
        int[] inputs = batch.inputs();

        int[] keyPool = range(1, firstValue);
        int[] valuePool = range(firstValue, vocab);
        double[] inverseWeights = inverseWeights(slots, config.alpha());
        int[] gaps = new int[p];
        double[] gapKeys = new double[p];
        for (int b = 0; b < batchSize; b++) {
            int row = batch.index(b, 0);
            partialShuffle(keyPool, p, random);
            partialShuffle(valuePool, p, random);
            for (int i = 0; i < p; i++) {
                inputs[row + 2 * i] = keyPool[i];
                inputs[row + 2 * i + 1] = valuePool[i];
            }
            if (config.randomNonQueries()) {
                for (int t = context; t < length; t++) {
                    inputs[row + t] = random.nextInt(vocab);
                }
            } // else the fillers are FILLER = 0 already
            drawGaps(inverseWeights, random, gaps, gapKeys);
            for (int i = 0; i < p; i++) {
                int position = row + context + 2 * gaps[i];
                inputs[position] = keyPool[i];
                batch.targets()[position] = valuePool[i];
                batch.mask()[position] = 1f;
            }
        }
    }

    /** {@code 1/w(g) = (g+1)^(1−alpha)} for every slot g: the power law's weights, inverted for the sampler. */
    static double[] inverseWeights(int slots, double alpha) {
        double[] inverse = new double[slots];
        for (int g = 0; g < slots; g++) {
            inverse[g] = StrictMath.pow(g + 1, 1 - alpha);
        }
        return inverse;
    }

    /**
     * Draws {@code gaps.length} distinct slots g with weights {@code w(g) = 1/inverseWeights[g]}, in the order
     * sequential sampling without replacement would draw them. Efraimidis–Spirakis: each slot gets the key
     * {@code log(u)/w} with u uniform in (0, 1]; the k largest keys, in decreasing order, are such a draw.
     */
    static void drawGaps(double[] inverseWeights, SplittableRandom random, int[] gaps, double[] keys) {
        int k = gaps.length;
        int filled = 0;
        int minIndex = -1;
        for (int g = 0; g < inverseWeights.length; g++) {
            double key = StrictMath.log(1.0 - random.nextDouble()) * inverseWeights[g];
            if (filled < k) {
                gaps[filled] = g;
                keys[filled] = key;
                filled++;
                if (filled == k) {
                    minIndex = argMin(keys);
                }
            } else if (key > keys[minIndex]) {
                gaps[minIndex] = g;
                keys[minIndex] = key;
                minIndex = argMin(keys);
            }
        }
        // Decreasing key = order of drawing; insertion sort, k is small.
        for (int i = 1; i < k; i++) {
            double key = keys[i];
            int gap = gaps[i];
            int j = i - 1;
            while (j >= 0 && keys[j] < key) {
                keys[j + 1] = keys[j];
                gaps[j + 1] = gaps[j];
                j--;
            }
            keys[j + 1] = key;
            gaps[j + 1] = gap;
        }
    }

    private static int argMin(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] < values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int[] range(int from, int to) {
        int[] values = new int[to - from];
        for (int i = 0; i < values.length; i++) {
            values[i] = from + i;
        }
        return values;
    }

    /** Puts a uniform random ordered sample of k distinct entries of {@code pool} into {@code pool[0 … k)}. */
    private static void partialShuffle(int[] pool, int k, SplittableRandom random) {
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(pool.length - i);
            int swap = pool[i];
            pool[i] = pool[j];
            pool[j] = swap;
        }
    }

    @Override
    public Map<String, Double> referenceValues() {
        return Map.of(
                "chance_accuracy", 1.0 / config().valueCount(),
                // guessing one of the P values seen in the context, without knowing which key it belongs to
                "context_chance_accuracy", 1.0 / config().pairs());
    }
}
