package io.seqbench.kernels.scan;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The selective scan written with stock ND4J array ops, the way a Deeplearning4j user would write it: discretize
 * into materialised (batch, channels, length, state) tensors Ā = exp(ΔA) and B̄u = Δ·B·u, step through the length
 * with one array op per step for the recurrences (h forwards, the adjoint g backwards), and compute everything
 * else with whole-tensor broadcasts and reductions. It is the "before" of the benchmarks and a third,
 * independently written cross-check of the reference and the fused kernel. Works in FLOAT and DOUBLE.
 *
 * <p>Every array it allocates is counted (bytes of each op result, the inputs excluded), and intermediates are
 * closed as soon as they are dead, so {@link Result#peakBytes()} is the exact peak of ND4J memory it holds at
 * once and {@link Result#allocatedBytes()} the total it allocates.
 */
public final class CompositeSelectiveScan {
    private CompositeSelectiveScan() {
    }

    /**
     * Forward outputs and the memory the computation used.
     *
     * @param out            (batch, channels, length)
     * @param lastState      (batch, channels, state), or {@code null}
     * @param allocatedBytes bytes of every array allocated
     * @param peakBytes      the most bytes of allocated arrays alive at once
     */
    public record Result(INDArray out, INDArray lastState, long allocatedBytes, long peakBytes) {
    }

    /**
     * Gradients (absent optional inputs give {@code null}) and the memory the computation used.
     *
     * @param out            the forward output (batch, channels, length) when asked for, else {@code null}
     * @param allocatedBytes bytes of every array allocated, the forward computation included
     * @param peakBytes      the most bytes of allocated arrays alive at once
     */
    public record Gradients(INDArray out, INDArray du, INDArray ddelta, INDArray da, INDArray db, INDArray dc,
                            INDArray dd, INDArray dz, INDArray ddeltaBias, long allocatedBytes, long peakBytes) {
    }

    /** Counts allocations and frees, and closes freed arrays at once. */
    private static final class Tally {
        long allocated;
        long live;
        long peak;

        INDArray alloc(INDArray a) {
            long bytes = a.length() * a.dataType().width();
            allocated += bytes;
            live += bytes;
            peak = Math.max(peak, live);
            return a;
        }

        void free(INDArray... arrays) {
            for (INDArray a : arrays) {
                if (a != null) {
                    live -= a.length() * a.dataType().width();
                    a.close();
                }
            }
        }
    }

    /** The tensors of the forward pass that the backward reuses. */
    private static final class Forward {
        INDArray raw;     // delta + bias, (batch, channels, length)
        INDArray dt;      // Δ
        INDArray decay;   // Ā = exp(Δ A), (batch, channels, length, state)
        INDArray dtu;     // Δ·u, (batch, channels, length)
        INDArray bT;      // B as (batch, groups, length, state)
        INDArray cT;      // C as (batch, groups, length, state)
        INDArray states;  // h_t, (batch, channels, length, state)
        INDArray y;       // Σ_n C h, (batch, channels, length)
        INDArray yBase;   // the array y views
    }

    /**
     * The forward pass.
     *
     * @param in              the inputs (FLOAT or DOUBLE)
     * @param returnLastState whether to return the last state
     */
    public static Result forward(ScanArrays in, boolean returnLastState) {
        Tally tally = new Tally();
        ScanShape s = in.shape();
        Forward f = scan(in, s, tally);
        INDArray last = returnLastState
                ? tally.alloc(f.states.get(all(), all(), NDArrayIndex.point(s.length() - 1), all()).dup('c'))
                : null;
        INDArray pre = skip(in, s, f.y, tally);
        INDArray out = pre;
        if (in.z() != null) {
            INDArray silu = tally.alloc(Transforms.sigmoid(in.z(), true)).muli(in.z());
            out = tally.alloc(pre.mul(silu));
            tally.free(silu, pre);
        }
        tally.free(f.raw == f.dt ? null : f.raw, f.dt, f.decay, f.dtu, f.bT, f.cT, f.states, f.yBase);
        return new Result(out, last, tally.allocated, tally.peak);
    }

    /**
     * The backward pass: the gradients of Σ dout·out.
     *
     * @param in   the inputs of the forward pass
     * @param dout (batch, channels, length)
     */
    public static Gradients backward(ScanArrays in, INDArray dout) {
        return backward(in, dout, false);
    }

    /**
     * A training step's scan: the forward output and the gradients of Σ dout·out, sharing the materialised
     * forward tensors (what an autodiff framework would keep between the passes).
     *
     * @param in   the inputs
     * @param dout (batch, channels, length)
     */
    public static Gradients forwardBackward(ScanArrays in, INDArray dout) {
        return backward(in, dout, true);
    }

    private static Gradients backward(ScanArrays in, INDArray dout, boolean withOut) {
        Tally tally = new Tally();
        ScanShape s = in.shape();
        int batch = s.batch(), channels = s.channels(), length = s.length(), n = s.state();
        int groups = s.effectiveGroups(), cpg = channels / groups;
        Forward f = scan(in, s, tally);
        DataType type = in.dataType();

        // the gate: dy = dout·silu(z), dz = dout·(y + D u)·silu'(z)
        INDArray dy = dout;
        INDArray dz = null;
        INDArray out = null;
        if (in.z() != null) {
            INDArray pre = skip(in, s, f.y, tally);
            INDArray sg = tally.alloc(Transforms.sigmoid(in.z(), true));
            if (withOut) {
                out = tally.alloc(pre.mul(in.z())).muli(sg);
            }
            dy = tally.alloc(dout.mul(in.z())).muli(sg);
            INDArray dsilu = tally.alloc(sg.rsub(1.0)).muli(in.z()).addi(1.0).muli(sg); // σ(1 + z(1 − σ))
            dz = tally.alloc(dout.mul(pre)).muli(dsilu);
            tally.free(pre, sg, dsilu);
        } else if (withOut) {
            out = skip(in, s, f.y, tally);
        }
        INDArray dD = null;
        INDArray du = tally.alloc(Nd4j.zeros(type, batch, channels, length));
        if (in.d() != null) {
            INDArray dyu = tally.alloc(dy.mul(in.u()));
            dD = tally.alloc(dyu.sum(0, 2));
            tally.free(dyu);
            INDArray skipGrad = tally.alloc(dy.mul(in.d().reshape(1, channels, 1)));
            du.addi(skipGrad);
            tally.free(skipGrad);
        }

        // dC[b,g,n,t] = Σ_{d in g} dy h_t
        INDArray dyStates = tally.alloc(f.states.reshape(batch, groups, cpg, length, n)
                .mul(dy.reshape(batch, groups, cpg, length, 1)));
        INDArray dcT = tally.alloc(dyStates.sum(2));
        tally.free(dyStates);
        INDArray dc = tally.alloc(dcT.permute(0, 1, 3, 2).dup('c')).reshape(in.c().shape());
        tally.free(dcT);

        // the adjoint, stepped backwards: g_t = dy_t C_t + Ā_{t+1} g_{t+1}
        INDArray dyCBase = tally.alloc(dy.reshape(batch, groups, cpg, length, 1)
                .mul(f.cT.reshape(batch, groups, 1, length, n)));
        INDArray dyC = dyCBase.reshape(batch, channels, length, n);
        INDArray adjoints = tally.alloc(Nd4j.create(type, batch, channels, length, n));
        INDArray g = tally.alloc(Nd4j.zeros(type, batch, channels, n));
        for (int t = length - 1; t >= 0; t--) {
            INDArray gt = tally.alloc(g.add(step(dyC, t)));
            step(adjoints, t).assign(gt);
            INDArray next = tally.alloc(gt.mul(step(f.decay, t)));
            tally.free(g, gt);
            g = next;
        }
        tally.free(g, dyCBase);

        // h_{t−1}: the states shifted by one step, zero first
        INDArray prev = tally.alloc(Nd4j.zeros(type, batch, channels, length, n));
        if (length > 1) {
            prev.get(all(), all(), NDArrayIndex.interval(1, length), all())
                    .assign(f.states.get(all(), all(), NDArrayIndex.interval(0, length - 1), all()));
        }
        INDArray gd = tally.alloc(adjoints.mul(prev)).muli(f.decay); // g·h_{t−1}·Ā
        tally.free(prev);
        INDArray gdDt = tally.alloc(gd.mul(f.dt.reshape(batch, channels, length, 1)));
        INDArray da = tally.alloc(gdDt.sum(0, 2));
        tally.free(gdDt);
        INDArray gdA = tally.alloc(gd.mul(in.a().reshape(1, channels, 1, n)));
        INDArray dDelta = tally.alloc(gdA.sum(3));
        tally.free(gdA, gd);
        INDArray gB = tally.alloc(adjoints.reshape(batch, groups, cpg, length, n)
                .mul(f.bT.reshape(batch, groups, 1, length, n)));
        INDArray gbBase = tally.alloc(gB.sum(4));
        INDArray gb = gbBase.reshape(batch, channels, length); // Σ_n g B
        tally.free(gB);
        INDArray gbu = tally.alloc(gb.mul(in.u()));
        dDelta.addi(gbu);
        INDArray gbDt = tally.alloc(gb.mul(f.dt));
        du.addi(gbDt);
        tally.free(gbu, gbDt);
        INDArray gDtu = tally.alloc(adjoints.reshape(batch, groups, cpg, length, n)
                .mul(f.dtu.reshape(batch, groups, cpg, length, 1)));
        INDArray dbT = tally.alloc(gDtu.sum(2));
        tally.free(gDtu, gbBase, adjoints);
        INDArray db = tally.alloc(dbT.permute(0, 1, 3, 2).dup('c')).reshape(in.b().shape());
        tally.free(dbT);

        if (in.deltaSoftplus()) {
            INDArray sg = tally.alloc(Transforms.sigmoid(f.raw, true));
            dDelta.muli(sg);
            tally.free(sg);
        }
        INDArray dBias = in.deltaBias() == null ? null : tally.alloc(dDelta.sum(0, 2));
        tally.free(f.raw == f.dt ? null : f.raw, f.dt, f.decay, f.dtu, f.bT, f.cT, f.states, f.yBase);
        if (dy != dout) {
            tally.free(dy);
        }
        return new Gradients(out, du, dDelta, da, db, dc, dD, dz, dBias, tally.allocated, tally.peak);
    }

    /** Discretizes into materialised tensors and steps the recurrence through the length. */
    private static Forward scan(ScanArrays in, ScanShape s, Tally tally) {
        int batch = s.batch(), channels = s.channels(), length = s.length(), n = s.state();
        int groups = s.effectiveGroups(), cpg = channels / groups;
        DataType type = in.dataType();
        Forward f = new Forward();
        f.raw = in.deltaBias() == null ? in.delta()
                : tally.alloc(in.delta().add(in.deltaBias().reshape(1, channels, 1)));
        f.dt = in.deltaSoftplus() ? tally.alloc(Transforms.softPlus(f.raw, true)) : f.raw;
        if (f.raw == in.delta() && f.dt == f.raw) {
            f.dt = tally.alloc(in.delta().dup('c'));
            f.raw = f.dt;
        } else if (f.raw == in.delta()) {
            f.raw = tally.alloc(in.delta().dup('c'));
        }
        f.decay = tally.alloc(f.dt.reshape(batch, channels, length, 1).mul(in.a().reshape(1, channels, 1, n)));
        Transforms.exp(f.decay, false);
        f.dtu = tally.alloc(f.dt.mul(in.u()));
        f.bT = tally.alloc(in.b().reshape(batch, groups, n, length).permute(0, 1, 3, 2).dup('c'));
        f.cT = tally.alloc(in.c().reshape(batch, groups, n, length).permute(0, 1, 3, 2).dup('c'));
        INDArray buBase = tally.alloc(f.dtu.reshape(batch, groups, cpg, length, 1)
                .mul(f.bT.reshape(batch, groups, 1, length, n)));
        INDArray bu = buBase.reshape(batch, channels, length, n);
        f.states = tally.alloc(Nd4j.create(type, batch, channels, length, n));
        INDArray h = tally.alloc(Nd4j.zeros(type, batch, channels, n));
        for (int t = 0; t < length; t++) {
            INDArray next = tally.alloc(step(f.decay, t).mul(h)).addi(step(bu, t));
            step(f.states, t).assign(next);
            tally.free(h);
            h = next;
        }
        tally.free(h, buBase);
        INDArray ch = tally.alloc(f.states.reshape(batch, groups, cpg, length, n)
                .mul(f.cT.reshape(batch, groups, 1, length, n)));
        f.yBase = tally.alloc(ch.sum(4));
        f.y = f.yBase.reshape(batch, channels, length);
        tally.free(ch);
        return f;
    }

    /** y + D·u (a new array). */
    private static INDArray skip(ScanArrays in, ScanShape s, INDArray y, Tally tally) {
        INDArray pre = tally.alloc(y.dup('c'));
        if (in.d() != null) {
            INDArray du = tally.alloc(in.u().mul(in.d().reshape(1, s.channels(), 1)));
            pre.addi(du);
            tally.free(du);
        }
        return pre;
    }

    /** The (batch, channels, state) slice of a (batch, channels, length, state) tensor at step t (a view). */
    private static INDArray step(INDArray tensor, int t) {
        return tensor.get(all(), all(), NDArrayIndex.point(t), all());
    }

    private static INDArrayIndex all() {
        return NDArrayIndex.all();
    }
}
