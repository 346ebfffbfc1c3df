package io.seqbench.architectures;

import io.seqbench.architectures.nn.Layers;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The normalisation used before each mixer and MLP and after the last block. */
public enum NormKind {
    /** LayerNorm (Ba et al., 2016): subtract the mean, divide by the standard deviation, gain and bias. */
    LAYERNORM {
        @Override
        public void createParameters(Parameters p, String prefix, int dim) {
            p.create(prefix + "gain", Init.ones(), dim);
            p.create(prefix + "bias", Init.zeros(), dim);
        }

        @Override
        public SDVariable forward(Graph g, String prefix, SDVariable x) {
            return Layers.layerNorm(g, x, g.param(prefix + "gain"), g.param(prefix + "bias"));
        }

        @Override
        public INDArray apply(Parameters p, String prefix, INDArray x) {
            return Layers.layerNorm(x, p.get(prefix + "gain"), p.get(prefix + "bias"));
        }
    },
    /** RMSNorm (Zhang &amp; Sennrich, 2019): divide by the root mean square, gain only; used by Mamba. */
    RMSNORM {
        @Override
        public void createParameters(Parameters p, String prefix, int dim) {
            p.create(prefix + "gain", Init.ones(), dim);
        }

        @Override
        public SDVariable forward(Graph g, String prefix, SDVariable x) {
            return Layers.rmsNorm(g, x, g.param(prefix + "gain"));
        }

        @Override
        public INDArray apply(Parameters p, String prefix, INDArray x) {
            return Layers.rmsNorm(x, p.get(prefix + "gain"));
        }
    };

    /** Numerical floor added to the variance / mean square. */
    public static final double EPSILON = 1e-5;

    /** Creates the norm's parameters (gain, and bias for LayerNorm) under {@code prefix}. */
    public abstract void createParameters(Parameters p, String prefix, int dim);

    /** Normalises the last axis of x (B, L, dim) in the graph. */
    public abstract SDVariable forward(Graph g, String prefix, SDVariable x);

    /** Normalises the last axis of x (batch, dim) eagerly (recurrent generation). */
    public abstract INDArray apply(Parameters p, String prefix, INDArray x);
}
