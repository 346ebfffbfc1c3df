package io.seqbench.kernels.op;

import org.nd4j.jita.allocator.impl.AtomicAllocator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.jcublas.context.CudaContext;
import org.nd4j.linalg.jcublas.ops.executioner.CudaExecutioner;

import java.util.ArrayList;
import java.util.List;

/**
 * ND4J's CUDA op executioner, extended to run {@link JavaOp}s: the {@code -Pcuda} twin of the CPU build's class of
 * the same name (so {@link JavaOps} and the {@code opexec} property work unchanged). Every other op goes to
 * libnd4j unchanged.
 *
 * <p>Arrays on this backend have a host and a device copy, kept apart by ND4J's allocator. A plain Java op reads
 * and writes host memory: its inputs are synchronised to the host first ({@code synchronizeHostData}) and its
 * outputs are marked as written on the host ({@code tickHostWrite}), so that the next device use copies them
 * over. A {@link DeviceJavaOp} that chooses the device gets the arrays' device addresses instead: the allocator's
 * flow controller prepares the action (device copies made current) and returns ND4J's context, whose stream is
 * synchronised before the op's own kernels run; the op returns once its kernels have finished, and the action is
 * registered with the outputs marked as written on the device ({@code tickDeviceWrite}).
 *
 * <p>Compiled only under {@code -Pcuda}, from {@code src/cuda-backend/java}. nd4j-cuda-11.6 has machine code for
 * compute capability 3.7-8.6 only, so this runs on 8.0-8.9 GPUs together with SeqBench's kernels, not on Hopper.
 */
public class JavaOpExecutioner extends CudaExecutioner {

    private final JavaOpExecution.Runner runner = this::run;

    @Override
    public INDArray[] exec(CustomOp op) {
        if (op instanceof JavaOp javaOp) {
            return JavaOpExecution.eager(javaOp, runner);
        }
        return super.exec(op);
    }

    @Override
    public INDArray[] exec(CustomOp op, OpContext context) {
        if (op instanceof JavaOp javaOp) {
            return JavaOpExecution.inContext(javaOp, context, runner);
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

    private void run(JavaOp op, List<INDArray> inputs, List<INDArray> outputs) {
        AtomicAllocator allocator = AtomicAllocator.getInstance();
        if (op instanceof DeviceJavaOp device && !outputs.isEmpty() && device.onDevice(inputs, outputs)) {
            INDArray[] operands = operands(inputs, outputs);
            CudaContext context = allocator.getFlowController().prepareAction(outputs.get(0), operands);
            long[] in = addresses(allocator, inputs, context);
            long[] out = addresses(allocator, outputs, context);
            context.syncOldStream();  // ND4J's pending work on these buffers is done before our kernels read them
            device.computeOnDevice(inputs, outputs, in, out);
            allocator.getFlowController().registerAction(context, outputs.get(0), operands);
            for (INDArray o : outputs) {
                allocator.tickDeviceWrite(o);
            }
            return;
        }
        for (INDArray in : inputs) {
            allocator.synchronizeHostData(in);
        }
        for (INDArray o : outputs) {
            allocator.synchronizeHostData(o);
        }
        op.compute(inputs, outputs);
        for (INDArray o : outputs) {
            allocator.tickHostWrite(o);
        }
    }

    private static INDArray[] operands(List<INDArray> inputs, List<INDArray> outputs) {
        List<INDArray> all = new ArrayList<>(inputs);
        all.addAll(outputs.subList(1, outputs.size()));
        return all.toArray(new INDArray[0]);
    }

    private static long[] addresses(AtomicAllocator allocator, List<INDArray> arrays, CudaContext context) {
        long[] a = new long[arrays.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = allocator.getPointer(arrays.get(i), context).address();
        }
        return a;
    }
}
