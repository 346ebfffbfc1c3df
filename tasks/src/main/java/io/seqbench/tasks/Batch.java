package io.seqbench.tasks;

import java.util.Arrays;

/**
 * A batch of training or evaluation examples, stored row-major as flat arrays of {@code batchSize × length}.
 *
 * <p>{@code inputs[b·length + t]} is the token the model reads at position t; {@code targets[...]} is the token it
 * should predict there; {@code mask[...]} is 1 where the prediction counts towards loss and metrics (the answer
 * positions) and 0 elsewhere. Targets at masked-out positions are 0 and carry no meaning.
 *
 * @param batchSize number of sequences
 * @param length    tokens per sequence
 * @param inputs    input token ids, each in [0, vocab)
 * @param targets   target token ids, each in [0, vocab)
 * @param mask      1 at answer positions, 0 elsewhere
 */
public record Batch(int batchSize, int length, int[] inputs, int[] targets, float[] mask) {

    public Batch {
        int n = Math.multiplyExact(batchSize, length);
        if (batchSize <= 0 || length <= 0) {
            throw new IllegalArgumentException("batch must be non-empty, got " + batchSize + " x " + length);
        }
        if (inputs.length != n || targets.length != n || mask.length != n) {
            throw new IllegalArgumentException("inputs, targets and mask must each hold " + batchSize + " x "
                    + length + " = " + n + " entries, got " + inputs.length + ", " + targets.length + ", "
                    + mask.length);
        }
    }

    /** An empty batch to be filled by a generator. */
    public static Batch allocate(int batchSize, int length) {
        int n = Math.multiplyExact(batchSize, length);
        return new Batch(batchSize, length, new int[n], new int[n], new float[n]);
    }

    /** Flat index of (sequence b, position t). */
    public int index(int b, int t) {
        return b * length + t;
    }

    /** Number of positions that count (sum of the mask). */
    public int answerCount() {
        int count = 0;
        for (float m : mask) {
            if (m != 0f) {
                count++;
            }
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch other && batchSize == other.batchSize && length == other.length
                && Arrays.equals(inputs, other.inputs) && Arrays.equals(targets, other.targets)
                && Arrays.equals(mask, other.mask);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(inputs) + Arrays.hashCode(targets)) + Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
        return "Batch[" + batchSize + " x " + length + ", " + answerCount() + " answer positions]";
    }
}
