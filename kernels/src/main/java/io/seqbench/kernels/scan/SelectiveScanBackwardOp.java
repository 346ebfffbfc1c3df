package io.seqbench.kernels.scan;

import io.seqbench.kernels.op.DenseArrays;
import io.seqbench.kernels.op.JavaOp;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The gradient of {@link SelectiveScanOp}: from d(out) (and d(last state) when the forward returned it), the
 * gradients of every input of the forward op, in the same order and shapes.
 *
 * <p>Inputs: the forward op's inputs, its checkpoints, d(out) (batch, channels, length), then d(last state)
 * (batch, channels, state) when the forward returned the last state. FLOAT runs the fused kernel's backward,
 * which recomputes the states chunk by chunk from the checkpoints; DOUBLE runs the reference's backward (which
 * ignores the checkpoints and keeps every state of a row). iArgs as in the forward op.
 */
public final class SelectiveScanBackwardOp extends JavaOp {
    public static final String NAME = "seqbench_selective_scan_bp";

    public SelectiveScanBackwardOp() {
    }

    SelectiveScanBackwardOp(SameDiff sd, SDVariable[] inputs, int flags, int chunkLength) {
        super(sd, inputs);
        addIArgument(flags, chunkLength);
    }

    /**
     * An eager backward on arrays.
     *
     * @param in          the forward inputs
     * @param checkpoints the forward op's checkpoints output
     * @param dout        (batch, channels, length)
     * @param dLastState  (batch, channels, state), or {@code null} when the forward did not return the last state
     */
    public SelectiveScanBackwardOp(ScanArrays in, INDArray checkpoints, INDArray dout, INDArray dLastState) {
        super(inputs(in, checkpoints, dout, dLastState), null);
        addIArgument(SelectiveScanOp.flags(in.d() != null, in.z() != null, in.deltaBias() != null,
                in.deltaSoftplus(), dLastState != null), FusedSelectiveScan.DEFAULT_CHUNK_LENGTH);
    }

    private static INDArray[] inputs(ScanArrays in, INDArray checkpoints, INDArray dout, INDArray dLastState) {
        List<INDArray> list = new ArrayList<>(List.of(in.u(), in.delta(), in.a(), in.b(), in.c()));
        for (INDArray optional : new INDArray[]{in.d(), in.z(), in.deltaBias()}) {
            if (optional != null) {
                list.add(optional);
            }
        }
        list.add(checkpoints);
        list.add(dout);
        if (dLastState != null) {
            list.add(dLastState);
        }
        return list.toArray(new INDArray[0]);
    }

    private int flags() {
        return (int) iArgs()[0];
    }

    private int chunkLength() {
        return (int) iArgs()[1];
    }

    @Override
    public String opName() {
        return NAME;
    }

    @Override
    public List<DataType> outputTypes(List<DataType> inputTypes) {
        int n = SelectiveScanOp.inputCount(flags());
        List<DataType> types = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            types.add(inputTypes.get(0));
        }
        return types;
    }

    @Override
    public List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        int n = SelectiveScanOp.inputCount(flags());
        SelectiveScanOp.arrays(inputs, flags()).shape();
        return shapesLike(inputs.subList(0, n));
    }

    @Override
    public void compute(List<INDArray> inputs, List<INDArray> outputs) {
        int flags = flags();
        int n = SelectiveScanOp.inputCount(flags);
        ScanArrays in = SelectiveScanOp.arrays(inputs, flags).contiguous();
        ScanShape s = in.shape();
        INDArray ckpt = inputs.get(n);
        INDArray dout = inputs.get(n + 1);
        INDArray dLast = (flags & SelectiveScanOp.LAST_STATE) != 0 ? inputs.get(n + 2) : null;
        requireShape("d(out)", dout, s.batch(), s.channels(), s.length());
        if (dLast != null) {
            requireShape("d(last state)", dLast, s.batch(), s.channels(), s.state());
        }
        INDArray[] targets = new INDArray[n];
        for (int i = 0; i < n; i++) {
            targets[i] = SelectiveScanOp.target(outputs.get(i));
        }
        int hasD = (flags & SelectiveScanOp.HAS_D) != 0 ? 1 : 0;
        int hasZ = (flags & SelectiveScanOp.HAS_Z) != 0 ? 1 : 0;
        INDArray dD = hasD == 1 ? targets[5] : null;
        INDArray dz = hasZ == 1 ? targets[5 + hasD] : null;
        INDArray dBias = (flags & SelectiveScanOp.HAS_DELTA_BIAS) != 0 ? targets[5 + hasD + hasZ] : null;
        if (in.dataType() == DataType.FLOAT) {
            int nc = (s.length() + chunkLength() - 1) / chunkLength();
            requireShape("checkpoints", ckpt, s.batch(), s.channels(), nc, s.state());
            INDArray ckptF = DenseArrays.dense(ckpt.castTo(DataType.FLOAT));
            INDArray doutF = DenseArrays.dense(dout.castTo(DataType.FLOAT));
            INDArray dLastF = dLast == null ? null : DenseArrays.dense(dLast.castTo(DataType.FLOAT));
            ScanGradientBuffers grads = new ScanGradientBuffers(DenseArrays.floats(targets[0]),
                    DenseArrays.floats(targets[1]), DenseArrays.floats(targets[2]), DenseArrays.floats(targets[3]),
                    DenseArrays.floats(targets[4]), SelectiveScanOp.floatsOrNull(dD),
                    SelectiveScanOp.floatsOrNull(dz), SelectiveScanOp.floatsOrNull(dBias));
            FusedSelectiveScan.shared().withChunkLength(chunkLength()).backward(in.floatBuffers(),
                    DenseArrays.floats(ckptF), DenseArrays.floats(doutF),
                    dLastF == null ? null : DenseArrays.floats(dLastF), grads);
            // the buffers above do not keep the arrays alive
            Reference.reachabilityFence(in);
            Reference.reachabilityFence(ckptF);
            Reference.reachabilityFence(doutF);
            Reference.reachabilityFence(dLastF);
            Reference.reachabilityFence(targets);
        } else {
            DoubleScanGradients g = SelectiveScanReference.backward(in.toDoubleInputs(),
                    DenseArrays.toDoubles(dout), dLast == null ? null : DenseArrays.toDoubles(dLast));
            put(targets[0], g.du());
            put(targets[1], g.ddelta());
            put(targets[2], g.da());
            put(targets[3], g.db());
            put(targets[4], g.dc());
            put(dD, g.dd());
            put(dz, g.dz());
            put(dBias, g.ddeltaBias());
        }
        for (int i = 0; i < n; i++) {
            SelectiveScanOp.copyBack(targets[i], outputs.get(i));
        }
    }

    private static void put(INDArray target, double[] values) {
        if (target != null) {
            DoubleBuffer buffer = DenseArrays.doubles(target);
            buffer.put(0, values);
        }
    }

    private static void requireShape(String name, INDArray array, long... expected) {
        if (!Arrays.equals(array.shape(), expected)) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(array.shape())
                    + ", expected " + Arrays.toString(expected));
        }
    }
}
