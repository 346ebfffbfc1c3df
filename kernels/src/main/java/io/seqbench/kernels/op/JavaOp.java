package io.seqbench.kernels.op;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOpDescriptor;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A custom op whose shape function and computation are written in Java, usable inside a SameDiff graph.
 *
 * <p>ND4J 1.0.0-M2.1 sends every custom op to libnd4j by hash, and an op libnd4j does not know crashes the JVM.
 * A {@code JavaOp} avoids that path entirely: it reports hash 0 and no native descriptor, computes its output
 * shapes and data types here, and {@link JavaOpExecutioner} routes its execution to {@link #compute}. Backward
 * passes are ordinary {@code JavaOp}s returned from {@link #doDiff}.
 *
 * <p>Rules for subclasses (they follow from how SameDiff clones graphs through FlatBuffers):
 * <ul>
 *   <li>a public no-argument constructor, and the op listed in {@link JavaOps#OPS} so the clone can find the
 *       class again by {@link #opName()};</li>
 *   <li>every attribute stored as an iArg/tArg/bArg and read back in {@link #configureFromArguments()};</li>
 *   <li>{@link #compute} writes into the output arrays it is given (SameDiff allocates and reuses them).</li>
 * </ul>
 *
 * <p>Constructing a {@code JavaOp} when {@link JavaOps#install()} has not taken effect throws
 * {@link JavaOpsNotInstalledException} instead of letting the op reach native code.
 */
public abstract class JavaOp extends DynamicCustomOp {

    /** For deserialization and registration; configure through iArgs/tArgs afterwards. */
    protected JavaOp() {
        super();
        JavaOps.requireInstalled(getClass());
    }

    /** A graph op on SameDiff variables. */
    protected JavaOp(SameDiff sameDiff, SDVariable... inputs) {
        super(null, sameDiff, inputs);
        JavaOps.requireInstalled(getClass());
    }

    /** An eager op on arrays; outputs may be {@code null}, in which case they are allocated. */
    protected JavaOp(INDArray[] inputs, INDArray[] outputs) {
        super(null, inputs, outputs);
        JavaOps.requireInstalled(getClass());
    }

    /** A unique name; it is how SameDiff finds the class again when it clones the graph. */
    @Override
    public abstract String opName();

    /**
     * Output data types from input data types (called while the graph is built).
     *
     * @param inputTypes the data types of the inputs, in order
     */
    public abstract List<DataType> outputTypes(List<DataType> inputTypes);

    /**
     * Output shapes and data types from the actual input arrays (called before every execution).
     *
     * @param inputs the input arrays, in order
     */
    public abstract List<LongShapeDescriptor> outputShapes(List<INDArray> inputs);

    /**
     * Computes the outputs. Implementations write into {@code outputs}, which have the shapes returned by
     * {@link #outputShapes}; they must not replace them.
     */
    public abstract void compute(List<INDArray> inputs, List<INDArray> outputs);

    // ---- plumbing that keeps the op away from libnd4j ----

    @Override
    public final long opHash() {
        return 0L;
    }

    @Override
    public final CustomOpDescriptor getDescriptor() {
        return null;
    }

    @Override
    public Map<String, Object> propertiesForFunction() {
        return Collections.emptyMap();
    }

    /** The number of outputs, from {@link #outputTypes} of the graph inputs' types. */
    @Override
    public int getNumOutputs() {
        List<DataType> types = new ArrayList<>();
        for (SDVariable in : args()) {
            types.add(in.dataType());
        }
        return outputTypes(types).size();
    }

    @Override
    public final List<DataType> calculateOutputDataTypes(List<DataType> dataTypes) {
        return outputTypes(dataTypes);
    }

    @Override
    public final List<LongShapeDescriptor> calculateOutputShape() {
        return outputShapes(inputArguments());
    }

    @Override
    public final List<LongShapeDescriptor> calculateOutputShape(OpContext oc) {
        if (oc == null || oc.getInputArrays() == null || oc.getInputArrays().isEmpty()) {
            return outputShapes(inputArguments());
        }
        return outputShapes(oc.getInputArrays());
    }

    @Override
    public void assertValidForExecution() {
        // shapes and arguments are validated by the op itself in outputShapes/compute
    }

    /** Convenience for {@link #outputShapes}: one descriptor. */
    protected static LongShapeDescriptor shape(DataType type, long... shape) {
        return LongShapeDescriptor.fromShape(shape, type);
    }

    /** Convenience for {@link #outputShapes}: descriptors for several arrays shaped like the given ones. */
    protected static List<LongShapeDescriptor> shapesLike(List<INDArray> arrays) {
        List<LongShapeDescriptor> out = new ArrayList<>(arrays.size());
        for (INDArray a : arrays) {
            out.add(shape(a.dataType(), a.shape()));
        }
        return out;
    }
}
