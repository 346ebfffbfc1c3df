package io.seqbench.kernels.scan;

import io.seqbench.kernels.op.DenseArrays;
import io.seqbench.kernels.op.JavaOp;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The selective scan as a SameDiff op (the contract of the package documentation); its gradient is
 * {@link SelectiveScanBackwardOp}.
 *
 * <p>Inputs, in order: {@code u} (batch, channels, length), {@code delta} (batch, channels, length), {@code A}
 * (channels, state), {@code B} and {@code C} ((batch, state, length) or (batch, groups, state, length)), then
 * those of {@code D} (channels), {@code z} (batch, channels, length) and {@code delta_bias} (channels) that are
 * given. Outputs: {@code out} (batch, channels, length); the last state (batch, channels, state) when asked;
 * and, always last, the checkpoints (batch, channels, ceil(length / chunk), state) the backward op recomputes the
 * states from (an internal output: its gradient is ignored).
 *
 * <p>Precision: FLOAT inputs run the fused float32 kernel ({@link FusedSelectiveScan#shared()}); DOUBLE inputs
 * run the double-precision reference ({@link SelectiveScanReference}), so graphs can be gradient-checked in
 * double. Attributes live in iArgs: [flags, chunk length].
 */
public final class SelectiveScanOp extends JavaOp {
    public static final String NAME = "seqbench_selective_scan";

    static final int HAS_D = 1;
    static final int HAS_Z = 2;
    static final int HAS_DELTA_BIAS = 4;
    static final int SOFTPLUS = 8;
    static final int LAST_STATE = 16;

    public SelectiveScanOp() {
    }

    SelectiveScanOp(SameDiff sd, SDVariable[] inputs, int flags, int chunkLength) {
        super(sd, inputs);
        addIArgument(flags, chunkLength);
    }

    /**
     * An eager op on arrays (tests, generation). Optional inputs may be {@code null}.
     *
     * @param in              the inputs
     * @param returnLastState whether the op also outputs the last state
     */
    public SelectiveScanOp(ScanArrays in, boolean returnLastState) {
        super(present(in), null);
        addIArgument(flags(in.d() != null, in.z() != null, in.deltaBias() != null, in.deltaSoftplus(),
                returnLastState), FusedSelectiveScan.DEFAULT_CHUNK_LENGTH);
    }

    /**
     * Adds a selective scan to a graph and returns its output (batch, channels, length).
     *
     * @param sd        the graph
     * @param name      the output's name
     * @param u         (batch, channels, length)
     * @param delta     (batch, channels, length)
     * @param a         (channels, state)
     * @param b         (batch, state, length) or (batch, groups, state, length)
     * @param c         same shape as {@code b}
     * @param d         (channels), or {@code null}
     * @param z         (batch, channels, length), or {@code null}
     * @param deltaBias (channels), or {@code null}
     * @param softplus  whether Δ = softplus(delta + delta_bias)
     */
    public static SDVariable scan(SameDiff sd, String name, SDVariable u, SDVariable delta, SDVariable a,
                                  SDVariable b, SDVariable c, SDVariable d, SDVariable z, SDVariable deltaBias,
                                  boolean softplus) {
        return build(sd, name, u, delta, a, b, c, d, z, deltaBias, softplus, false)[0];
    }

    /**
     * Like {@link #scan}, and also returns the last state: {out (batch, channels, length), lastState (batch,
     * channels, state)}, named {@code name} and {@code name + "_last_state"}. Gradients flow through both.
     */
    public static SDVariable[] scanWithLastState(SameDiff sd, String name, SDVariable u, SDVariable delta,
                                                 SDVariable a, SDVariable b, SDVariable c, SDVariable d,
                                                 SDVariable z, SDVariable deltaBias, boolean softplus) {
        return build(sd, name, u, delta, a, b, c, d, z, deltaBias, softplus, true);
    }

    private static SDVariable[] build(SameDiff sd, String name, SDVariable u, SDVariable delta, SDVariable a,
                                      SDVariable b, SDVariable c, SDVariable d, SDVariable z, SDVariable deltaBias,
                                      boolean softplus, boolean last) {
        List<SDVariable> inputs = new ArrayList<>(List.of(u, delta, a, b, c));
        for (SDVariable optional : new SDVariable[]{d, z, deltaBias}) {
            if (optional != null) {
                inputs.add(optional);
            }
        }
        int flags = flags(d != null, z != null, deltaBias != null, softplus, last);
        SelectiveScanOp op = new SelectiveScanOp(sd, inputs.toArray(new SDVariable[0]), flags,
                FusedSelectiveScan.DEFAULT_CHUNK_LENGTH);
        SDVariable[] outs = op.outputVariables();
        SDVariable out = sd.updateVariableNameAndReference(outs[0], name);
        sd.updateVariableNameAndReference(outs[outs.length - 1], name + "_checkpoints");
        if (!last) {
            return new SDVariable[]{out};
        }
        return new SDVariable[]{out, sd.updateVariableNameAndReference(outs[1], name + "_last_state")};
    }

    static int flags(boolean hasD, boolean hasZ, boolean hasBias, boolean softplus, boolean last) {
        return (hasD ? HAS_D : 0) | (hasZ ? HAS_Z : 0) | (hasBias ? HAS_DELTA_BIAS : 0) | (softplus ? SOFTPLUS : 0)
                | (last ? LAST_STATE : 0);
    }

    private static INDArray[] present(ScanArrays in) {
        List<INDArray> list = new ArrayList<>(List.of(in.u(), in.delta(), in.a(), in.b(), in.c()));
        for (INDArray optional : new INDArray[]{in.d(), in.z(), in.deltaBias()}) {
            if (optional != null) {
                list.add(optional);
            }
        }
        return list.toArray(new INDArray[0]);
    }

    int flags() {
        return (int) iArgs()[0];
    }

    int chunkLength() {
        return (int) iArgs()[1];
    }

    /** The scan inputs from the op's inputs (the first 5 + optional ones, per the flags). */
    static ScanArrays arrays(List<INDArray> inputs, int flags) {
        int i = 5;
        INDArray d = (flags & HAS_D) != 0 ? inputs.get(i++) : null;
        INDArray z = (flags & HAS_Z) != 0 ? inputs.get(i++) : null;
        INDArray bias = (flags & HAS_DELTA_BIAS) != 0 ? inputs.get(i) : null;
        return new ScanArrays(inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3), inputs.get(4), d, z, bias,
                (flags & SOFTPLUS) != 0);
    }

    static int inputCount(int flags) {
        return 5 + Integer.bitCount(flags & (HAS_D | HAS_Z | HAS_DELTA_BIAS));
    }

    @Override
    public String opName() {
        return NAME;
    }

    @Override
    public List<DataType> outputTypes(List<DataType> inputTypes) {
        DataType t = inputTypes.get(0);
        return (flags() & LAST_STATE) != 0 ? List.of(t, t, t) : List.of(t, t);
    }

    @Override
    public List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        ScanArrays in = arrays(inputs, flags());
        ScanShape s = in.shape();
        DataType t = in.dataType();
        int nc = (s.length() + chunkLength() - 1) / chunkLength();
        List<LongShapeDescriptor> shapes = new ArrayList<>();
        shapes.add(shape(t, s.batch(), s.channels(), s.length()));
        if ((flags() & LAST_STATE) != 0) {
            shapes.add(shape(t, s.batch(), s.channels(), s.state()));
        }
        shapes.add(shape(t, s.batch(), s.channels(), nc, s.state()));
        return shapes;
    }

    @Override
    public void compute(List<INDArray> inputs, List<INDArray> outputs) {
        ScanArrays in = arrays(inputs, flags()).contiguous();
        boolean last = (flags() & LAST_STATE) != 0;
        INDArray out = outputs.get(0);
        INDArray lastState = last ? outputs.get(1) : null;
        INDArray ckpt = outputs.get(outputs.size() - 1);
        INDArray outT = target(out);
        INDArray lastT = last ? target(lastState) : null;
        INDArray ckptT = target(ckpt);
        if (in.dataType() == DataType.FLOAT) {
            FusedSelectiveScan.shared().withChunkLength(chunkLength()).forward(in.floatBuffers(),
                    DenseArrays.floats(outT), last ? DenseArrays.floats(lastT) : null, DenseArrays.floats(ckptT));
        } else {
            DoubleScanInputs x = in.toDoubleInputs();
            DoubleScanOutputs o = SelectiveScanReference.forward(x, last);
            DenseArrays.doubles(outT).put(0, o.out());
            if (last) {
                DenseArrays.doubles(lastT).put(0, o.lastState());
            }
            DenseArrays.doubles(ckptT).put(0, SelectiveScanReference.checkpoints(x, chunkLength()));
        }
        // the buffers above do not keep the arrays alive
        Reference.reachabilityFence(in);
        copyBack(outT, out);
        if (last) {
            copyBack(lastT, lastState);
        }
        copyBack(ckptT, ckpt);
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        int flags = flags();
        boolean last = (flags & LAST_STATE) != 0;
        SDVariable[] outs = outputVariables();
        List<SDVariable> inputs = new ArrayList<>(List.of(args()));
        inputs.add(outs[outs.length - 1]); // checkpoints
        inputs.add(gradients.get(0));
        if (last) {
            inputs.add(gradients.get(1));
        }
        SelectiveScanBackwardOp backward = new SelectiveScanBackwardOp(sameDiff,
                inputs.toArray(new SDVariable[0]), flags, chunkLength());
        return List.of(backward.outputVariables());
    }

    /** The output itself when it is contiguous, otherwise a new array to compute into and copy back. */
    static INDArray target(INDArray output) {
        return DenseArrays.isDense(output) ? output
                : Nd4j.createUninitialized(output.dataType(), output.shape());
    }

    static void copyBack(INDArray computed, INDArray output) {
        if (computed != output) {
            output.assign(computed);
        }
    }

    static FloatBuffer floatsOrNull(INDArray array) {
        return array == null ? null : DenseArrays.floats(array);
    }
}
