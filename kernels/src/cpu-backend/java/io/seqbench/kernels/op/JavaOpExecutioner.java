package io.seqbench.kernels.op;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner;

import java.util.List;

/**
 * ND4J's CPU op executioner, extended to run {@link JavaOp}s in Java. Every other op goes to libnd4j unchanged.
 *
 * <p>Compiled in the default (CPU) build only, from {@code src/cpu-backend/java}; the {@code -Pcuda} build compiles
 * the class of the same name from {@code src/cuda-backend/java}, so that {@link JavaOps} and the {@code opexec}
 * property name one executioner whatever the backend.
 *
 * <p>Selected by {@link JavaOps#install()}; never configure it by hand.
 */
public class JavaOpExecutioner extends NativeOpExecutioner {

    @Override
    public INDArray[] exec(CustomOp op) {
        if (op instanceof JavaOp javaOp) {
            return JavaOpExecution.eager(javaOp, JavaOpExecution.DIRECT);
        }
        return super.exec(op);
    }

    @Override
    public INDArray[] exec(CustomOp op, OpContext context) {
        if (op instanceof JavaOp javaOp) {
            return JavaOpExecution.inContext(javaOp, context, JavaOpExecution.DIRECT);
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
}
