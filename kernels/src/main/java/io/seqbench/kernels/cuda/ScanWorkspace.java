package io.seqbench.kernels.cuda;

import io.seqbench.kernels.scan.ScanGradients;
import io.seqbench.kernels.scan.ScanInputs;
import io.seqbench.kernels.scan.ScanOutputs;
import io.seqbench.kernels.scan.ScanShape;

import java.util.ArrayList;
import java.util.List;

/**
 * Device arrays for one shape and one set of optional inputs: the inputs, the forward's outputs and saved
 * states, and the backward's gradients and work arrays. Allocated once, reused across calls (the benchmark
 * times calls on one workspace). Not thread-safe.
 */
public final class ScanWorkspace implements AutoCloseable {

    /** A quiet-NaN bit pattern: outputs are filled with it before a checked run, so an unwritten element shows. */
    public static final int NAN_BITS = 0x7fc00000;

    private final ScanModule module;
    private final ScanShape shape;
    private final boolean hasD;
    private final boolean hasZ;
    private final boolean hasBias;
    private final boolean softplus;
    private final List<DeviceBuffer> all = new ArrayList<>();

    final DeviceBuffer u, delta, a, b, c, d, z, bias;
    final DeviceBuffer out, carries, last, dout, dLast;
    final DeviceBuffer du, dDelta, dA, dB, dC, dD, dz, dBias;
    final DeviceBuffer bcPartial, aPartial, dPartial, biasPartial;

    private ScanGeometry.ForwardVariant variant = ScanGeometry.ForwardVariant.AUTO;
    private int backwardStatesPerLane;
    private boolean expOnFmaAllowed;
    private boolean bulkAllowed = ScanGeometry.forwardBulkDefault();

    private ScanWorkspace(ScanModule module, ScanShape s, boolean hasD, boolean hasZ, boolean hasBias,
                          boolean softplus) {
        ScanGeometry.validate(s);
        this.module = module;
        this.shape = s;
        this.hasD = hasD;
        this.hasZ = hasZ;
        this.hasBias = hasBias;
        this.softplus = softplus;
        long seq = s.sequenceElements();
        long bc = s.bcElements();
        int ch = s.channels();
        long bd = (long) s.batch() * ch;
        try {
            u = alloc(seq);
            delta = alloc(seq);
            a = alloc((long) ch * s.state());
            b = alloc(bc);
            c = alloc(bc);
            d = hasD ? alloc(ch) : null;
            z = hasZ ? alloc(seq) : null;
            bias = hasBias ? alloc(ch) : null;
            out = alloc(seq);
            carries = alloc(ScanGeometry.carryFloats(s));
            last = alloc(bd * s.state());
            dout = alloc(seq);
            dLast = alloc(bd * s.state());
            du = alloc(seq);
            dDelta = alloc(seq);
            dA = alloc((long) ch * s.state());
            dB = alloc(bc);
            dC = alloc(bc);
            dD = hasD ? alloc(ch) : null;
            dz = hasZ ? alloc(seq) : null;
            dBias = hasBias ? alloc(ch) : null;
            bcPartial = alloc(ScanKernels.maxBcPartialFloats(s, hasZ, module.limits()));  // every choice's tiling
            aPartial = alloc(bd * s.state());
            dPartial = alloc(bd);
            biasPartial = alloc(bd);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Allocates the arrays for {@code s} on the module's device. */
    public static ScanWorkspace allocate(ScanModule module, ScanShape s, boolean hasD, boolean hasZ,
                                         boolean hasBias, boolean softplus) {
        module.makeCurrent();
        return new ScanWorkspace(module, s, hasD, hasZ, hasBias, softplus);
    }

    /** A workspace matching the optional inputs of {@code in}, with {@code in} uploaded. */
    public static ScanWorkspace of(ScanModule module, ScanInputs in) {
        ScanWorkspace w = allocate(module, in.shape(), in.d() != null, in.z() != null, in.deltaBias() != null,
                in.deltaSoftplus());
        try {
            w.upload(in);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    private DeviceBuffer alloc(long floats) {
        DeviceBuffer buf = DeviceBuffer.floats(floats);
        all.add(buf);
        return buf;
    }

    public ScanShape shape() {
        return shape;
    }

    /** Chooses the forward kernel's tuning (the default lets {@link ScanGeometry} choose). */
    public ScanWorkspace variant(ScanGeometry.ForwardVariant v) {
        this.variant = v;
        return this;
    }

    /**
     * Whether the version-3 forward may stage with the copy engine (default {@link
     * ScanGeometry#forwardBulkDefault()}; false forces cp.async).
     */
    public ScanWorkspace bulkAllowed(boolean allowed) {
        this.bulkAllowed = allowed;
        return this;
    }

    /**
     * Chooses the backward kernel: 4, 8 or 16 states per lane of version 1,
     * {@link ScanGeometry#BACKWARD_V4}, or 0 (the default).
     */
    public ScanWorkspace backwardStatesPerLane(int ns) {
        this.backwardStatesPerLane = ns;
        return this;
    }

    /** Copies the inputs to the device; their optional inputs must match the workspace's. */
    public void upload(ScanInputs in) {
        if (!in.shape().equals(shape) || (in.d() != null) != hasD || (in.z() != null) != hasZ
                || (in.deltaBias() != null) != hasBias || in.deltaSoftplus() != softplus) {
            throw new IllegalArgumentException("inputs do not match this workspace: " + in.shape() + " vs " + shape);
        }
        module.makeCurrent();
        u.upload(in.u());
        delta.upload(in.delta());
        a.upload(in.a());
        b.upload(in.b());
        c.upload(in.c());
        if (hasD) {
            d.upload(in.d());
        }
        if (hasZ) {
            z.upload(in.z());
        }
        if (hasBias) {
            bias.upload(in.deltaBias());
        }
        setA(in.a());
    }

    /** Records A's values for the choice of exp variant (the polynomial exp needs A ≤ 0 and Δ ≥ 0). */
    void setA(float[] aValues) {
        boolean nonPositive = true;
        for (float v : aValues) {
            if (!(v <= 0)) {
                nonPositive = false;
                break;
            }
        }
        expOnFmaAllowed = softplus && nonPositive;
    }

    public void uploadDout(float[] values) {
        module.makeCurrent();
        dout.upload(values);
    }

    public void uploadDLastState(float[] values) {
        module.makeCurrent();
        dLast.upload(values);
    }

    ScanKernels.Inputs inputs() {
        return new ScanKernels.Inputs(u.address(), delta.address(), a.address(), b.address(), c.address(),
                addr(d), addr(z), addr(bias));
    }

    private static long addr(DeviceBuffer buf) {
        return buf == null ? 0 : buf.address();
    }

    /** Launches the forward (asynchronously); {@code saveCarries} keeps the chunk states for {@link #backward}. */
    public ScanGeometry.Launch forward(boolean saveCarries, boolean lastState) {
        return ScanKernels.forward(module, shape, inputs(), softplus, out.address(),
                saveCarries ? carries.address() : 0, lastState ? last.address() : 0, variant, expOnFmaAllowed,
                bulkAllowed);
    }

    /** Launches the backward and its reduction (asynchronously); needs a forward with saved carries first. */
    public ScanGeometry.Launch backward(boolean withDLastState) {
        ScanKernels.Gradients g = new ScanKernels.Gradients(du.address(), dDelta.address(), dA.address(),
                dB.address(), dC.address(), addr(dD), addr(dz), addr(dBias));
        ScanKernels.BackwardScratch s = new ScanKernels.BackwardScratch(bcPartial.address(), aPartial.address(),
                dPartial.address(), biasPartial.address());
        return ScanKernels.backward(module, shape, inputs(), softplus, dout.address(),
                withDLastState ? dLast.address() : 0, carries.address(), g, s, backwardStatesPerLane);
    }

    /** Fills every output, gradient and work array with NaN. */
    public void poisonOutputs() {
        module.makeCurrent();
        for (DeviceBuffer buf : new DeviceBuffer[]{out, carries, last, du, dDelta, dA, dB, dC, dD, dz, dBias,
                bcPartial, aPartial, dPartial, biasPartial}) {
            if (buf != null) {
                buf.fill(NAN_BITS);
            }
        }
    }

    /** Waits for the launches, then copies the forward's outputs back. */
    public ScanOutputs outputs(boolean lastState) {
        module.synchronize();
        int seq = Math.toIntExact(shape.sequenceElements());
        return new ScanOutputs(out.download(seq),
                lastState ? last.download(Math.toIntExact((long) shape.batch() * shape.channels() * shape.state()))
                        : null);
    }

    /** Waits for the launches, then copies the gradients back. */
    public ScanGradients gradients() {
        module.synchronize();
        int seq = Math.toIntExact(shape.sequenceElements());
        int bc = Math.toIntExact(shape.bcElements());
        int ch = shape.channels();
        return new ScanGradients(du.download(seq), dDelta.download(seq), dA.download(ch * shape.state()),
                dB.download(bc), dC.download(bc), hasD ? dD.download(ch) : null, hasZ ? dz.download(seq) : null,
                hasBias ? dBias.download(ch) : null);
    }

    /** Device memory held, bytes. */
    public long deviceBytes() {
        long total = 0;
        for (DeviceBuffer buf : all) {
            total += buf.bytes();
        }
        return total;
    }

    @Override
    public void close() {
        module.makeCurrent();
        for (DeviceBuffer buf : all) {
            buf.close();
        }
        all.clear();
    }
}
