package io.seqbench.kernels.op;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * The backend-independent part of running a {@link JavaOp}: allocating missing outputs and handing inputs and
 * outputs to a {@link Runner}. The executioner of each backend ({@code JavaOpExecutioner}, one per build profile)
 * supplies the runner: on the CPU the op computes directly; on the CUDA backend the runner synchronises host and
 * device buffers around the computation, or runs a {@link DeviceJavaOp} on device buffers.
 */
final class JavaOpExecution {

    /** Runs an op's computation on arrays that exist. */
    @FunctionalInterface
    interface Runner {
        void run(JavaOp op, List<INDArray> inputs, List<INDArray> outputs);
    }

    /** Computes on the arrays as they are (host memory: the CPU backend). */
    static final Runner DIRECT = JavaOp::compute;

    private JavaOpExecution() {
    }

    static INDArray[] eager(JavaOp op, Runner runner) {
        List<INDArray> inputs = op.inputArguments();
        if (op.numOutputArguments() == 0) {
            for (LongShapeDescriptor d : op.outputShapes(inputs)) {
                op.addOutputArgument(Nd4j.create(d, false));
            }
        }
        List<INDArray> outputs = op.outputArguments();
        runner.run(op, inputs, outputs);
        return outputs.toArray(new INDArray[0]);
    }

    static INDArray[] inContext(JavaOp op, OpContext context, Runner runner) {
        List<INDArray> inputs = context.getInputArrays();
        List<INDArray> outputs = new ArrayList<>(context.getOutputArrays());
        if (outputs.isEmpty()) {
            List<LongShapeDescriptor> shapes = op.outputShapes(inputs);
            for (int i = 0; i < shapes.size(); i++) {
                INDArray out = Nd4j.create(shapes.get(i), false);
                context.setOutputArray(i, out);
                outputs.add(out);
            }
        }
        runner.run(op, inputs, outputs);
        return outputs.toArray(new INDArray[0]);
    }
}
