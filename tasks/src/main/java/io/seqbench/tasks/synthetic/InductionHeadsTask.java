package io.seqbench.tasks.synthetic;

import io.seqbench.tasks.Batch;
import io.seqbench.tasks.Checks;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * The induction heads task (Olsson et al., 2022; in the form of Gu &amp; Dao, 2023, "Mamba", §4.1.2 and App. E.1,
 * which follows the H3/Hyena synthetic): a sequence of random tokens contains a special trigger token twice; at its
 * second occurrence, the last position, the model must predict the token that followed the first occurrence. It
 * is associative recall of a single key whose position is unknown in advance, the mechanism behind in-context
 * copying in language models.
 *
 * <p>Token ids: {@code 0} trigger, {@code 1 … dataTokens} data. At length L every position holds a data token drawn
 * uniformly, except the first trigger at a position p drawn uniformly from {@code [0, L − 3]} and the second trigger
 * at {@code L − 1}. The trigger never occurs elsewhere. The one answer per sequence is at {@code L − 1}: the token at
 * {@code p + 1}.
 *
 * <p>Worked example, L = 8, data tokens written as letters ({@code ^} trigger, {@code ·} masked out):
 * <pre>
 *   position   0  1  2  3  4  5  6  7
 *   input      c  a  ^  d  b  a  c  ^
 *   target     ·  ·  ·  ·  ·  ·  ·  d
 *   mask       0  0  0  0  0  0  0  1
 * </pre>
 *
 * <p>Length generalization: at another length L the second trigger stays at the end ({@code L − 1}) and the first
 * occurrence is uniform over the longer or shorter prefix {@code [0, L − 3]}; so the distance to recall grows with L.
 * Any {@code L ≥ 3} is allowed. The Mamba paper trains at 256 and tests at 2^6 … 2^20; generation is O(L) time and
 * allocates only the batch (at 2^20 a batch of one is three arrays of 4 MiB).
 */
public final class InductionHeadsTask extends SyntheticTask<InductionHeadsTask.Config> {
    public static final String TYPE = "induction_heads";
    public static final int TRIGGER = 0;
    public static final int FIRST_DATA = 1;
    /** The shortest sequence that holds a trigger, the token after it, and the second trigger. */
    public static final int MIN_LENGTH = 3;

    /**
     * Configuration of the induction heads task.
     *
     * @param dataTokens size of the data alphabet (≥ 2); the vocabulary is {@code dataTokens + 1}
     * @param length     training sequence length (≥ 3)
     */
    public record Config(int dataTokens, int length) {
        /** CPU-sized default: vocabulary 16 (15 data + trigger), length 64. */
        public static final Config DEFAULTS = new Config(15, 64);
        /** The Mamba paper's setting (App. E.1): vocabulary 16, trained at length 256 (evaluated at 2^6 … 2^20). */
        public static final Config PAPER = new Config(15, 256);

        public Config {
            Checks.require(dataTokens >= 2, "data_tokens", "must be ≥ 2", dataTokens);
            Checks.require(length >= MIN_LENGTH, "length", "must be ≥ " + MIN_LENGTH, length);
        }
    }

    public InductionHeadsTask(Config config, long seed) {
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
        return length >= MIN_LENGTH;
    }

    @Override
    String lengthRule() {
        return "needs length ≥ " + MIN_LENGTH;
    }

    @Override
    void fill(Batch batch, SplittableRandom random) {
        Config config = config();
        int length = batch.length();
        int[] inputs = batch.inputs();
        for (int b = 0; b < batch.batchSize(); b++) {
            int row = batch.index(b, 0);
            for (int t = 0; t < length - 1; t++) {
                inputs[row + t] = FIRST_DATA + random.nextInt(config.dataTokens());
            }
            int first = random.nextInt(length - 2); // in [0, L − 3], so first + 1 ≤ L − 2
            inputs[row + first] = TRIGGER;
            inputs[row + length - 1] = TRIGGER;
            batch.targets()[row + length - 1] = inputs[row + first + 1];
            batch.mask()[row + length - 1] = 1f;
        }
    }

    @Override
    public Map<String, Double> referenceValues() {
        return Map.of("chance_accuracy", 1.0 / config().dataTokens());
    }
}
