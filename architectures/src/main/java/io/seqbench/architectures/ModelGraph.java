package io.seqbench.architectures;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * A model compiled into one SameDiff graph at a fixed batch size and length, with its loss.
 *
 * <p>Placeholders: {@code tokens} (B, L) INT32, {@code targets} (B·L) INT32, {@code mask} (B·L) of the model's
 * floating type (1 where the position counts). Outputs: {@code logits} (B·L, vocab) and {@code loss}, the mean
 * negative log-likelihood (nats) over masked positions.
 */
public final class ModelGraph {
    public static final String TOKENS = "tokens";
    public static final String TARGETS = "targets";
    public static final String MASK = "mask";
    public static final String LOGITS = "logits";
    public static final String LOSS = "loss";

    private final SameDiff sd;
    private final int batch;
    private final int length;
    private final List<String> parameterNames;

    ModelGraph(SameDiff sd, int batch, int length, List<String> parameterNames) {
        this.sd = sd;
        this.batch = batch;
        this.length = length;
        this.parameterNames = List.copyOf(parameterNames);
    }

    public SameDiff sameDiff() {
        return sd;
    }

    public int batch() {
        return batch;
    }

    public int length() {
        return length;
    }

    /** Logits and loss for one batch, without gradients. */
    public Map<String, INDArray> evaluate(INDArray tokens, INDArray targets, INDArray mask) {
        return sd.output(placeholders(tokens, targets, mask), LOGITS, LOSS);
    }

    /** Logits only (prefill / inference), with a dummy all-zero mask. */
    public INDArray logits(INDArray tokens) {
        INDArray targets = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.INT32,
                (long) batch * length);
        INDArray mask = org.nd4j.linalg.factory.Nd4j.zeros(sd.getVariable(MASK).dataType(), (long) batch * length);
        return sd.output(placeholders(tokens, targets, mask), LOGITS).get(LOGITS);
    }

    /** Loss, logits and the gradient of the loss with respect to every parameter, in one pass. */
    public OutAndGrad lossAndGradients(INDArray tokens, INDArray targets, INDArray mask) {
        if (sd.getFunction("grad") == null) {
            createGradientFunctionQuietly();
        }
        return sd.calculateGradientsAndOutputs(placeholders(tokens, targets, mask), List.of(LOSS, LOGITS),
                parameterNames);
    }

    /** SameDiff prints a line per op to System.out while it builds the gradient graph; keep the console clean. */
    private void createGradientFunctionQuietly() {
        java.io.PrintStream out = System.out;
        synchronized (System.class) {
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(out);
            }
        }
    }

    private Map<String, INDArray> placeholders(INDArray tokens, INDArray targets, INDArray mask) {
        checkShape(TOKENS, tokens, batch, length);
        checkShape(TARGETS, targets, (long) batch * length);
        checkShape(MASK, mask, (long) batch * length);
        return Map.of(TOKENS, tokens, TARGETS, targets, MASK, mask);
    }

    private static void checkShape(String name, INDArray a, long... expected) {
        if (!java.util.Arrays.equals(a.shape(), expected)) {
            throw new IllegalArgumentException(name + " has shape " + java.util.Arrays.toString(a.shape())
                    + ", expected " + java.util.Arrays.toString(expected));
        }
    }
}
