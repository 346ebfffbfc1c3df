package io.seqbench.harness.probe;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A SameDiff listener that adds up the bytes of every op output: the allocation traffic of a step, exact and
 * free of the noise of resident-memory readings. (ND4J's own allocation counters report 0 on the CPU backend.)
 */
public final class AllocationCounter extends BaseListener {
    private long bytes;
    private long ops;

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
                            INDArray[] outputs) {
        if (outputs == null) {
            return;
        }
        ops++;
        for (INDArray out : outputs) {
            if (out != null && !out.isEmpty()) {
                bytes += out.length() * out.dataType().width();
            }
        }
    }

    /** Bytes of op outputs since the last reset. */
    public long bytes() {
        return bytes;
    }

    /** Ops executed since the last reset. */
    public long ops() {
        return ops;
    }

    public void reset() {
        bytes = 0;
        ops = 0;
    }
}
