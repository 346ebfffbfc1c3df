package io.seqbench.harness.probe;

import io.seqbench.harness.train.BatchArrays;
import io.seqbench.tasks.Batch;
import io.seqbench.tasks.Seeds;
import io.seqbench.tasks.Split;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded random token batches for probes: every position is a target, so the full loss is computed. */
final class RandomTokens {
    private RandomTokens() {
    }

    static BatchArrays batch(long seed, int batchSize, int length, int vocab) {
        SplittableRandom random = Seeds.forBatch(seed, Split.TRAIN, length);
        Batch b = Batch.allocate(batchSize, length);
        for (int i = 0; i < b.inputs().length; i++) {
            b.inputs()[i] = random.nextInt(vocab);
            b.targets()[i] = random.nextInt(vocab);
        }
        Arrays.fill(b.mask(), 1f);
        return BatchArrays.of(b, DataType.FLOAT);
    }
}
