package io.seqbench.tasks.synthetic;

import io.seqbench.tasks.Batch;
import io.seqbench.tasks.Checks;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * The copying task (Arjovsky et al., 2016, in the causal form used by the Mamba paper's synthetic tasks):
 * read M random data tokens, wait through a delay of blank tokens, see a go marker, then reproduce the M tokens
 * in order. Solving it needs memory of the data over the whole delay; it needs no content-based selection,
 * because the data always sits at the same positions.
 *
 * <p>Token ids: {@code 0} blank, {@code 1} go marker, {@code 2 … 2+dataTokens−1} data. Sequence length
 * {@code 2·M + delay}. The prediction at the go marker is the first data token; the M−1 positions after it
 * predict the rest. Loss and accuracy count only those M answer positions.
 *
 * <p>Worked example, M = 3, delay = 2, data tokens written as letters ({@code _} blank, {@code >} go,
 * {@code ·} masked out):
 * <pre>
 *   position   0  1  2  3  4  5  6  7
 *   input      a  b  c  _  _  &gt;  _  _
 *   target     ·  ·  ·  ·  ·  a  b  c
 *   mask       0  0  0  0  0  1  1  1
 * </pre>
 *
 * <p>At another length L the delay becomes L − 2M (L must be ≥ 2M), which is how the task is evaluated for
 * length generalization.
 */
public final class CopyingTask extends SyntheticTask<CopyingTask.Config> {
    public static final String TYPE = "copying";
    public static final int BLANK = 0;
    public static final int GO = 1;
    public static final int FIRST_DATA = 2;

    /**
     * Configuration of the copying task.
     *
     * @param tokens     M, the number of data tokens to copy (≥ 1)
     * @param dataTokens size of the data alphabet (≥ 2)
     * @param delay      blank tokens between the data and the go marker (≥ 0)
     */
    public record Config(int tokens, int dataTokens, int delay) {
        public static final Config DEFAULTS = new Config(8, 8, 16);

        public Config {
            Checks.require(tokens >= 1, "tokens", "must be ≥ 1", tokens);
            Checks.require(dataTokens >= 2, "data_tokens", "must be ≥ 2", dataTokens);
            Checks.require(delay >= 0, "delay", "must be ≥ 0", delay);
        }
    }

    public CopyingTask(Config config, long seed) {
        super(TYPE, config, seed);
    }

    @Override
    public int vocabSize() {
        return FIRST_DATA + config().dataTokens();
    }

    @Override
    public int length() {
        return 2 * config().tokens() + config().delay();
    }

    @Override
    public boolean supportsLength(int length) {
        return length >= 2 * config().tokens();
    }

    @Override
    String lengthRule() {
        return "with tokens = " + config().tokens() + " needs length ≥ " + 2 * config().tokens();
    }

    @Override
    void fill(Batch batch, SplittableRandom random) {
        Config config = config();
        int m = config.tokens();
        int delay = batch.length() - 2 * m;
        for (int b = 0; b < batch.batchSize(); b++) {
            int go = m + delay;
            for (int i = 0; i < m; i++) {
                int token = FIRST_DATA + random.nextInt(config.dataTokens());
                batch.inputs()[batch.index(b, i)] = token;
                batch.targets()[batch.index(b, go + i)] = token;
                batch.mask()[batch.index(b, go + i)] = 1f;
            }
            // positions m .. go-1 are blanks (0, already), go is the marker, the rest blanks
            batch.inputs()[batch.index(b, go)] = GO;
        }
    }

    @Override
    public Map<String, Double> referenceValues() {
        return Map.of("chance_accuracy", 1.0 / config().dataTokens());
    }
}
