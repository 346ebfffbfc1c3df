package io.seqbench.tasks.synthetic;

import io.seqbench.tasks.Batch;
import io.seqbench.tasks.Checks;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * The selective copying task (Gu &amp; Dao, 2023, "Mamba: Linear-Time Sequence Modeling with Selective State
 * Spaces", §3.1 and App. E.1): M data tokens sit at random positions among noise tokens; after the context come M
 * marker tokens, and at the i-th marker the model must emit the i-th data token. Unlike {@link CopyingTask}, the
 * spacing of the data changes from sequence to sequence, so a model must decide by content which tokens to keep:
 * a time-invariant model (an LTI SSM or a fixed convolution) cannot solve it by counting time steps.
 *
 * <p>Token ids: {@code 0} noise, {@code 1} marker, {@code 2 … 2+dataTokens−1} data. At length L the first
 * {@code L − M} positions are the context: M of them, chosen uniformly without replacement, hold data tokens drawn
 * uniformly with replacement; all others hold noise. Positions {@code L − M … L − 1} hold the marker; the
 * prediction at the i-th marker is the i-th data token in order of position. Loss and accuracy count only those M
 * positions.
 *
 * <p>Worked example, M = 3, L = 10, data tokens written as letters ({@code _} noise, {@code >} marker,
 * {@code ·} masked out):
 * <pre>
 *   position   0  1  2  3  4  5  6  7  8  9
 *   input      _  a  _  _  b  c  _  &gt;  &gt;  &gt;
 *   target     ·  ·  ·  ·  ·  ·  ·  a  b  c
 *   mask       0  0  0  0  0  0  0  1  1  1
 * </pre>
 *
 * <p>Length generalization: at another length L the context becomes {@code L − M} positions (M stays; the data
 * are spread uniformly over the longer or shorter context). Any {@code L ≥ 2M} is allowed. Generation is O(L)
 * time and allocates only the batch.
 */
public final class SelectiveCopyingTask extends SyntheticTask<SelectiveCopyingTask.Config> {
    public static final String TYPE = "selective_copying";
    public static final int NOISE = 0;
    public static final int MARKER = 1;
    public static final int FIRST_DATA = 2;

    /**
     * Configuration of the selective copying task.
     *
     * @param tokens     M, the number of data tokens to memorize and emit (≥ 1)
     * @param dataTokens size of the data alphabet (≥ 2); the vocabulary is {@code dataTokens + 2}
     * @param length     full sequence length L the model reads, context plus the M marker positions (≥ 2M)
     */
    public record Config(int tokens, int dataTokens, int length) {
        /** CPU-sized default: 4 tokens among 60 context positions, vocabulary 10. */
        public static final Config DEFAULTS = new Config(4, 8, 64);
        /**
         * The Mamba paper's setting (App. E.1): sequences of length 4096, 16 tokens to memorize, a vocabulary of 16
         * including the special tokens (here noise and marker, so 14 data tokens).
         */
        public static final Config PAPER = new Config(16, 14, 4096);

        public Config {
            Checks.require(tokens >= 1, "tokens", "must be ≥ 1", tokens);
            Checks.require(dataTokens >= 2, "data_tokens", "must be ≥ 2", dataTokens);
            Checks.require(length >= 2L * tokens, "length", "must be ≥ 2·tokens = " + 2L * tokens, length);
        }
    }

    public SelectiveCopyingTask(Config config, long seed) {
        super(TYPE, config, seed);
    }

    @Override
    public int vocabSize() {
        return FIRST_DATA + config().dataTokens();
    }

    @Override
    public int length() {
        return config().length();
    }

    @Override
    public boolean supportsLength(int length) {
        return length >= 2L * config().tokens();
    }

    @Override
    String lengthRule() {
        return "with tokens = " + config().tokens() + " needs length ≥ " + 2 * config().tokens();
    }

    @Override
    void fill(Batch batch, SplittableRandom random) {
        Config config = config();
        int length = batch.length();
        int m = config.tokens();
        int context = length - m;
        int[] inputs = batch.inputs();
        for (int b = 0; b < batch.batchSize(); b++) {
            int row = batch.index(b, 0);
            // Floyd's algorithm: M distinct positions in [0, context), the row itself marks the taken ones (noise
            // is 0, data ≥ 2). Tokens are i.i.d., so giving each position its token as it is chosen draws the same
            // sequence distribution as choosing all positions first.
            for (int j = context - m; j < context; j++) {
                int t = random.nextInt(j + 1);
                int position = inputs[row + t] == NOISE ? t : j;
                inputs[row + position] = FIRST_DATA + random.nextInt(config.dataTokens());
            }
            // The answers are the data in order of position.
            int answer = context;
            for (int t = 0; t < context; t++) {
                if (inputs[row + t] != NOISE) {
                    batch.targets()[row + answer] = inputs[row + t];
                    batch.mask()[row + answer] = 1f;
                    answer++;
                }
            }
            for (int t = context; t < length; t++) {
                inputs[row + t] = MARKER;
            }
        }
    }

    @Override
    public Map<String, Double> referenceValues() {
        return Map.of("chance_accuracy", 1.0 / config().dataTokens());
    }
}
