package io.seqbench.harness.train;

import io.seqbench.tasks.Batch;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Accumulates loss and exact-match scores over batches, weighting by answer positions.
 *
 * <p>Token accuracy: the fraction of answer positions whose argmax prediction equals the target. Sequence
 * accuracy: the fraction of sequences whose every answer position is right. Loss: mean negative
 * log-likelihood in nats per answer position; bits per character = loss / ln 2.
 */
public final class Scores {
    private double lossSum;
    private long answers;
    private long correct;
    private long sequences;
    private long sequencesCorrect;

    /**
     * Adds one batch.
     *
     * @param batch  the batch (targets and mask)
     * @param logits (B·L, vocab) the model's logits
     * @param loss   the graph's mean loss over the batch's answer positions
     */
    public void add(Batch batch, INDArray logits, double loss) {
        int[] predicted = Nd4j.argMax(logits, 1).toIntVector();
        int batchAnswers = 0;
        for (int b = 0; b < batch.batchSize(); b++) {
            boolean allRight = true;
            boolean anyAnswer = false;
            for (int t = 0; t < batch.length(); t++) {
                int i = batch.index(b, t);
                if (batch.mask()[i] != 0f) {
                    anyAnswer = true;
                    batchAnswers++;
                    if (predicted[i] == batch.targets()[i]) {
                        correct++;
                    } else {
                        allRight = false;
                    }
                }
            }
            if (anyAnswer) {
                sequences++;
                if (allRight) {
                    sequencesCorrect++;
                }
            }
        }
        answers += batchAnswers;
        lossSum += loss * batchAnswers;
    }

    public boolean isEmpty() {
        return answers == 0;
    }

    public double loss() {
        return lossSum / answers;
    }

    public double accuracy() {
        return (double) correct / answers;
    }

    public double sequenceAccuracy() {
        return sequences == 0 ? Double.NaN : (double) sequencesCorrect / sequences;
    }

    public double bitsPerCharacter() {
        return loss() / Math.log(2);
    }
}
