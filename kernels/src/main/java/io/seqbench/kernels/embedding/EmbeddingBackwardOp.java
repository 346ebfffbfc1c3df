package io.seqbench.kernels.embedding;

import io.seqbench.kernels.op.DenseArrays;
import io.seqbench.kernels.op.JavaOp;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

import java.util.List;

/**
 * Backward of {@link EmbeddingOp}: {@code gradTable[v, :] = sum over positions p with indices[p] == v of
 * gradOut[p, :]}; rows of tokens that do not occur are zero.
 *
 * <p>Inputs: {@code table} (only its shape is used), {@code indices}, {@code gradOut} (indices.shape + [dim]).
 * Output: {@code gradTable} (vocab, dim).
 */
public final class EmbeddingBackwardOp extends JavaOp {
    public static final String NAME = "seqbench_embedding_bp";

    public EmbeddingBackwardOp() {
    }

    public EmbeddingBackwardOp(SameDiff sd, SDVariable table, SDVariable indices, SDVariable gradOut) {
        super(sd, table, indices, gradOut);
    }

    public EmbeddingBackwardOp(INDArray table, INDArray indices, INDArray gradOut) {
        super(new INDArray[]{table, indices, gradOut}, null);
    }

    @Override
    public String opName() {
        return NAME;
    }

    @Override
    public List<DataType> outputTypes(List<DataType> inputTypes) {
        return List.of(inputTypes.get(0));
    }

    @Override
    public List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        INDArray table = inputs.get(0);
        EmbeddingOp.checkTable(table);
        return List.of(shape(table.dataType(), table.shape()));
    }

    @Override
    public void compute(List<INDArray> inputs, List<INDArray> outputs) {
        INDArray table = inputs.get(0);
        long[] idx = DenseArrays.indices(inputs.get(1), "embedding indices");
        INDArray gradOut = DenseArrays.dense(inputs.get(2).castTo(table.dataType()));
        int vocab = (int) table.size(0);
        int dim = (int) table.size(1);
        if (gradOut.length() != (long) idx.length * dim) {
            throw new IllegalArgumentException("embedding gradient has " + gradOut.length() + " elements, expected "
                    + idx.length + " x " + dim);
        }
        EmbeddingOp.checkIndices(idx, vocab);
        INDArray out = outputs.get(0);
        INDArray target = DenseArrays.isDense(out) ? out : out.dup('c');
        if (table.dataType() == DataType.DOUBLE) {
            var g = DenseArrays.doubles(gradOut);
            var dst = DenseArrays.doubles(target);
            for (int i = 0; i < vocab * dim; i++) {
                dst.put(i, 0.0);
            }
            for (int r = 0; r < idx.length; r++) {
                int to = (int) idx[r] * dim;
                for (int j = 0; j < dim; j++) {
                    dst.put(to + j, dst.get(to + j) + g.get(r * dim + j));
                }
            }
        } else {
            var g = DenseArrays.floats(gradOut);
            var dst = DenseArrays.floats(target);
            for (int i = 0; i < vocab * dim; i++) {
                dst.put(i, 0f);
            }
            for (int r = 0; r < idx.length; r++) {
                int to = (int) idx[r] * dim;
                for (int j = 0; j < dim; j++) {
                    dst.put(to + j, dst.get(to + j) + g.get(r * dim + j));
                }
            }
        }
        if (target != out) {
            out.assign(target);
        }
        // the NIO views above do not keep their arrays' memory alive
        java.lang.ref.Reference.reachabilityFence(target);
        java.lang.ref.Reference.reachabilityFence(gradOut);
    }
}
