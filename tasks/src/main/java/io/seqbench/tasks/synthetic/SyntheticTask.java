package io.seqbench.tasks.synthetic;

import io.seqbench.tasks.Batch;
import io.seqbench.tasks.Metric;
import io.seqbench.tasks.Seeds;
import io.seqbench.tasks.Split;
import io.seqbench.tasks.Task;

import java.util.SplittableRandom;

/**
 * What the synthetic tasks share: a config and a seed, accuracy on the masked answer positions, and batches drawn
 * from one random stream per (seed, split, step) after the length is checked. A task says which lengths it can
 * pose ({@link #supportsLength}, {@link #lengthRule}) and how to fill a batch ({@link #fill}).
 *
 * @param <C> the task's config record
 */
abstract class SyntheticTask<C extends Record> implements Task {
    private final String type;
    private final C config;
    private final long seed;

    SyntheticTask(String type, C config, long seed) {
        this.type = type;
        this.config = config;
        this.seed = seed;
    }

    public final C config() {
        return config;
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final Metric metric() {
        return Metric.ACCURACY;
    }

    @Override
    public final Batch batch(Split split, long step, int batchSize, int length) {
        if (!supportsLength(length)) {
            throw new IllegalArgumentException(type + " " + lengthRule() + ", got " + length);
        }
        SplittableRandom random = Seeds.forBatch(seed, split, step);
        Batch batch = Batch.allocate(batchSize, length);
        fill(batch, random);
        return batch;
    }

    /** The lengths this config can pose, as the error for another one says it, e.g. "needs length ≥ 8". */
    abstract String lengthRule();

    /** Fills the zeroed {@code batch} (its size and length already checked) from {@code random}. */
    abstract void fill(Batch batch, SplittableRandom random);
}
