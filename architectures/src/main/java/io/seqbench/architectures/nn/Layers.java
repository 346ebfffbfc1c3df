package io.seqbench.architectures.nn;

import io.seqbench.architectures.Graph;
import io.seqbench.architectures.NormKind;
import io.seqbench.kernels.norm.RmsNormOp;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNorm;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Building blocks shared by the backbone and the mixers, each in a graph form (B, L, ·) and an eager form for
 * one token (batch, ·). Where ND4J has a native op, both forms call the same op, so they agree to the last bit
 * of the op's arithmetic.
 */
public final class Layers {
    private Layers() {
    }

    /**
     * Affine map of the last axis: x (B, L, in) · w (in, out) [+ b (out)] → (B, L, out). ND4J's mmul needs
     * equal ranks, so the sequence is flattened to (B·L, in) and back.
     */
    public static SDVariable linear(Graph g, SDVariable x, SDVariable w, SDVariable b) {
        long in = w.getShape()[0];
        long out = w.getShape()[1];
        SDVariable flat = x.reshape(g.batch() * (long) g.length(), in);   // (B·L, in)
        SDVariable y = flat.mmul(w);                                        // (B·L, out)
        if (b != null) {
            y = y.add(b);
        }
        return y.reshape(g.batch(), g.length(), out);                      // (B, L, out)
    }

    /** Eager {@link #linear}: x (batch, in) · w [+ b] → (batch, out). */
    public static INDArray linear(INDArray x, INDArray w, INDArray b) {
        INDArray y = x.mmul(w);
        return b == null ? y : y.addiRowVector(b);
    }

    /** LayerNorm over the last axis of x (B, L, d). */
    public static SDVariable layerNorm(Graph g, SDVariable x, SDVariable gain, SDVariable bias) {
        return g.sd().nn.layerNorm(x, gain, bias, false, 2);
    }

    /** Eager LayerNorm over the last axis of x (batch, d), by the same native op. */
    public static INDArray layerNorm(INDArray x, INDArray gain, INDArray bias) {
        INDArray out = x.ulike();
        Nd4j.exec(new LayerNorm(x, gain, bias, out, false, 1));
        return out;
    }

    /** RMSNorm over the last axis of x (B, L, d): x / sqrt(mean(x²) + ε) · gain (one Java op). */
    public static SDVariable rmsNorm(Graph g, SDVariable x, SDVariable gain) {
        return new RmsNormOp(g.sd(), x, gain, NormKind.EPSILON).outputVariable();
    }

    /** Eager {@link #rmsNorm} for x (batch, d), by the same op. */
    public static INDArray rmsNorm(INDArray x, INDArray gain) {
        return Nd4j.exec(new RmsNormOp(x, gain, NormKind.EPSILON))[0];
    }

    /** The sigmoid approximation's constant: GELU(x) ≈ x·σ(1.702x) (Hendrycks &amp; Gimpel, 2016, §2). */
    public static final double GELU_SIGMOID_SCALE = 1.702;

    /**
     * GELU in its sigmoid approximation x·σ(1.702x), from primitives. Not ND4J's {@code gelu} op: its M2.1
     * derivative evaluates e^{1.702x}·(…)/(1 + e^{1.702x})², which is ∞/∞ = NaN in float for x &gt; 52
     * (an S4 layer reached such activations within 200 steps); σ's derivative is σ(1 − σ) and stays finite.
     */
    public static SDVariable gelu(Graph g, SDVariable x) {
        return x.mul(g.sd().nn.sigmoid(x.mul(GELU_SIGMOID_SCALE)));
    }

    /** Eager GELU, the same formula. */
    public static INDArray gelu(INDArray x) {
        return x.mul(Transforms.sigmoid(x.mul(GELU_SIGMOID_SCALE), false));
    }

    /** SiLU / swish, x·σ(x). */
    public static SDVariable silu(Graph g, SDVariable x) {
        return x.mul(g.sd().nn.sigmoid(x));
    }

    /** Eager SiLU. */
    public static INDArray silu(INDArray x) {
        return x.mul(Transforms.sigmoid(x, true));
    }
}
