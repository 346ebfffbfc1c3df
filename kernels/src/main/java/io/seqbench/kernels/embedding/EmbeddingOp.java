package io.seqbench.kernels.embedding;

import io.seqbench.kernels.op.DenseArrays;
import io.seqbench.kernels.op.JavaOp;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

import java.util.Arrays;
import java.util.List;

/**
 * Token embedding: {@code out[..., :] = table[indices[...], :]}.
 *
 * <p>Replaces {@code sd.gather}, whose backward pass crashes in ND4J 1.0.0-M2.1. The backward
 * ({@link EmbeddingBackwardOp}) scatter-adds the output gradient into the rows of the table, so a token that
 * appears several times receives the sum of its gradients.
 *
 * <p>Inputs: {@code table} (vocab, dim), FLOAT or DOUBLE; {@code indices} of any shape, integer type, each in
 * [0, vocab). Output: {@code indices.shape + [dim]}, the table's type.
 */
public final class EmbeddingOp extends JavaOp {
    public static final String NAME = "seqbench_embedding";

    public EmbeddingOp() {
    }

    public EmbeddingOp(SameDiff sd, SDVariable table, SDVariable indices) {
        super(sd, table, indices);
    }

    /** Eager form, for tests and recurrent generation. */
    public EmbeddingOp(INDArray table, INDArray indices) {
        super(new INDArray[]{table, indices}, null);
    }

    /** Builds the op in a graph and returns its output variable. */
    public static SDVariable embed(SameDiff sd, String name, SDVariable table, SDVariable indices) {
        return sd.updateVariableNameAndReference(new EmbeddingOp(sd, table, indices).outputVariable(), name);
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
        INDArray indices = inputs.get(1);
        checkTable(table);
        long[] shape = Arrays.copyOf(indices.shape(), indices.rank() + 1);
        shape[indices.rank()] = table.size(1);
        return List.of(shape(table.dataType(), shape));
    }

    @Override
    public void compute(List<INDArray> inputs, List<INDArray> outputs) {
        INDArray table = DenseArrays.dense(inputs.get(0));
        long[] idx = DenseArrays.indices(inputs.get(1), "embedding indices");
        INDArray out = outputs.get(0);
        INDArray target = DenseArrays.isDense(out) ? out : out.dup('c');
        int vocab = (int) table.size(0);
        int dim = (int) table.size(1);
        checkIndices(idx, vocab);
        if (table.dataType() == DataType.DOUBLE) {
            var src = DenseArrays.doubles(table);
            var dst = DenseArrays.doubles(target);
            for (int r = 0; r < idx.length; r++) {
                int from = (int) idx[r] * dim;
                for (int j = 0; j < dim; j++) {
                    dst.put(r * dim + j, src.get(from + j));
                }
            }
        } else {
            var src = DenseArrays.floats(table);
            var dst = DenseArrays.floats(target);
            for (int r = 0; r < idx.length; r++) {
                int from = (int) idx[r] * dim;
                for (int j = 0; j < dim; j++) {
                    dst.put(r * dim + j, src.get(from + j));
                }
            }
        }
        if (target != out) {
            out.assign(target);
        }
        // the NIO views above do not keep their arrays' memory alive
        java.lang.ref.Reference.reachabilityFence(target);
        java.lang.ref.Reference.reachabilityFence(table);
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable table = arg(0);
        SDVariable indices = arg(1);
        SDVariable gradTable = new EmbeddingBackwardOp(sameDiff, table, indices, gradients.get(0)).outputVariable();
        return List.of(gradTable, sameDiff.zerosLike(indices));
    }

    static void checkTable(INDArray table) {
        if (table.rank() != 2) {
            throw new IllegalArgumentException("embedding table must have shape (vocab, dim), got "
                    + Arrays.toString(table.shape()));
        }
        if (table.dataType() != DataType.FLOAT && table.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("embedding table must be FLOAT or DOUBLE, got " + table.dataType());
        }
    }

    static void checkIndices(long[] idx, int vocab) {
        for (int r = 0; r < idx.length; r++) {
            if (idx[r] < 0 || idx[r] >= vocab) {
                throw new IllegalArgumentException("embedding index " + idx[r] + " at flat position " + r
                        + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
    }
}
