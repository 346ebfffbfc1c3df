package io.seqbench.harness.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov &amp; Hutter, 2019): Adam with weight decay decoupled from the gradient,
 * <pre>
 *   m ← β1 m + (1−β1) g          v ← β2 v + (1−β2) g²
 *   θ ← θ − lr·( m̂ / (√v̂ + ε) + λ θ )      with m̂ = m/(1−β1^t), v̂ = v/(1−β2^t)
 * </pre>
 * Decay λ applies to matrices (rank ≥ 2: projections, embeddings) and not to vectors (norm gains, biases, SSM
 * vectors), as is common practice. Updates are applied in place to the parameter arrays.
 */
public final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private long t;

    public AdamW(double beta1, double beta2, double epsilon, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /** Steps taken so far. */
    public long steps() {
        return t;
    }

    /** Applies one update to every parameter that has a gradient. */
    public void step(Map<String, INDArray> parameters, Map<String, INDArray> gradients, double lr) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
            INDArray g = gradients.get(e.getKey());
            if (g == null) {
                continue;
            }
            INDArray p = e.getValue();
            INDArray mt = m.computeIfAbsent(e.getKey(), k -> p.ulike().assign(0));
            INDArray vt = v.computeIfAbsent(e.getKey(), k -> p.ulike().assign(0));
            mt.muli(beta1).addi(g.mul(1 - beta1));
            vt.muli(beta2).addi(g.mul(g).muli(1 - beta2));
            INDArray denominator = Transforms.sqrt(vt.div(c2), false).addi(epsilon);
            INDArray update = mt.div(c1).divi(denominator);
            if (weightDecay > 0 && p.rank() >= 2) {
                update.addi(p.mul(weightDecay));
            }
            p.subi(update.muli(lr));
        }
    }

    /** The optimizer state, for checkpoints: first and second moments by parameter name. */
    public Map<String, INDArray> firstMoments() {
        return m;
    }

    public Map<String, INDArray> secondMoments() {
        return v;
    }

    /** Restores the state written by a checkpoint. */
    public void restore(long steps, Map<String, INDArray> first, Map<String, INDArray> second) {
        t = steps;
        m.clear();
        m.putAll(first);
        v.clear();
        v.putAll(second);
    }
}
