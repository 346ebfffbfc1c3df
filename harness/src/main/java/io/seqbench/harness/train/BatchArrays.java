package io.seqbench.harness.train;

import io.seqbench.tasks.Batch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A task {@link Batch} as the arrays a model graph takes.
 *
 * @param tokens  (B, L) INT32 inputs
 * @param targets (B·L) INT32 targets
 * @param mask    (B·L) 1 where the position counts
 * @param batch   the batch itself (for Java-side metrics)
 */
public record BatchArrays(INDArray tokens, INDArray targets, INDArray mask, Batch batch) {

    public static BatchArrays of(Batch batch, DataType maskType) {
        int b = batch.batchSize();
        int l = batch.length();
        INDArray tokens = Nd4j.createFromArray(batch.inputs()).reshape(b, l);
        INDArray targets = Nd4j.createFromArray(batch.targets());
        INDArray mask = Nd4j.createFromArray(batch.mask()).castTo(maskType);
        return new BatchArrays(tokens, targets, mask, batch);
    }
}
