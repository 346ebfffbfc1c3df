package io.seqbench.kernels.op;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * ND4J's CPU op executioner, extended to run {@link JavaOp}s in Java. Every other op goes to libnd4j unchanged.
 *
 * <p>Selected by {@link JavaOps#install()}; never configure it by hand.
 */
public class JavaOpExecutioner extends NativeOpExecutioner {

    @Override
    public INDArray[] exec(CustomOp op) {
        if (op instanceof JavaOp javaOp) {
            return JavaOpExecution.eager(javaOp);
        }
        return super.exec(op);
    }

    @Override
    public INDArray[] exec(CustomOp op, OpContext context) {
        if (op instanceof JavaOp javaOp) {
            return JavaOpExecution.inContext(javaOp, context);
        }
        return super.exec(op, context);
    }

    @Override
    public List<LongShapeDescriptor> calculateOutputShape(CustomOp op) {
        if (op instanceof JavaOp javaOp) {
            return javaOp.calculateOutputShape();
        }
        return super.calculateOutputShape(op);
    }

    @Override
    public List<LongShapeDescriptor> calculateOutputShape(CustomOp op, OpContext opContext) {
        if (op instanceof JavaOp javaOp) {
            return javaOp.calculateOutputShape(opContext);
        }
        return super.calculateOutputShape(op, opContext);
    }

    /** The backend-independent part of running a Java op; shared with other executioners (e.g. CUDA). */
    static final class JavaOpExecution {
        private JavaOpExecution() {
        }

        static INDArray[] eager(JavaOp op) {
            List<INDArray> inputs = op.inputArguments();
            if (op.numOutputArguments() == 0) {
                for (LongShapeDescriptor d : op.outputShapes(inputs)) {
                    op.addOutputArgument(Nd4j.create(d, false));
                }
            }
            List<INDArray> outputs = op.outputArguments();
            op.compute(inputs, outputs);
            return outputs.toArray(new INDArray[0]);
        }

        static INDArray[] inContext(JavaOp op, OpContext context) {
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
            op.compute(inputs, outputs);
            return outputs.toArray(new INDArray[0]);
        }
    }
}
