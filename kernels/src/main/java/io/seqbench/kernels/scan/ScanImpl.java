package io.seqbench.kernels.scan;

import io.seqbench.kernels.cuda.CudaScanImplementation;
import io.seqbench.kernels.op.DenseArrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The selective-scan implementations a user can choose by name ({@code --impl}): one line each. A new backend
 * is one more constant whose supplier returns its {@link ScanImplementation}.
 */
public enum ScanImpl {
    /** The fused float32 CPU kernel ({@link FusedSelectiveScan#shared()}). */
    FUSED("fused", "fused float32 CPU kernel", FusedSelectiveScan::shared),
    /** The sequential double-precision reference ({@link SelectiveScanReference}). */
    REFERENCE("reference", "sequential double-precision reference", () -> Reference.INSTANCE),
    /** Stock ND4J ops on materialised tensors ({@link CompositeSelectiveScan}), in float32. */
    COMPOSITE("composite", "stock ND4J ops (materialised tensors)", () -> Composite.INSTANCE),
    /**
     * SeqBench's fused CUDA kernels on GPU 0 ({@link CudaScanImplementation}), in float32; throws
     * {@link io.seqbench.kernels.cuda.CudaUnavailableException} ("CUDA not available: …") where they cannot run.
     */
    CUDA("cuda", "fused float32 CUDA kernels on GPU 0", CudaScanImplementation::shared);

    private final String cliName;
    private final String description;
    private final Supplier<ScanImplementation> implementation;

    ScanImpl(String cliName, String description, Supplier<ScanImplementation> implementation) {
        this.cliName = cliName;
        this.description = description;
        this.implementation = implementation;
    }

    /** The name on the command line, e.g. {@code fused}. */
    public String cliName() {
        return cliName;
    }

    /** One line saying what runs. */
    public String description() {
        return description;
    }

    /** The implementation (created on first use). */
    public ScanImplementation implementation() {
        return implementation.get();
    }

    /**
     * The implementation called {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException listing the names allowed
     */
    public static ScanImpl parse(String name) {
        for (ScanImpl impl : values()) {
            if (impl.cliName.equalsIgnoreCase(name.trim())) {
                return impl;
            }
        }
        throw new IllegalArgumentException("unknown scan implementation '" + name + "'; allowed: " + names());
    }

    /** "fused, reference, composite, cuda". */
    public static String names() {
        return Arrays.stream(values()).map(ScanImpl::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }

    private static final class Reference implements ScanImplementation {
        static final Reference INSTANCE = new Reference();

        @Override
        public ScanOutputs forward(ScanInputs in, boolean returnLastState) {
            return SelectiveScanReference.forward(in, returnLastState);
        }

        @Override
        public ScanGradients backward(ScanInputs in, float[] dout) {
            return SelectiveScanReference.backward(in, dout);
        }
    }

    private static final class Composite implements ScanImplementation {
        static final Composite INSTANCE = new Composite();

        @Override
        public ScanOutputs forward(ScanInputs in, boolean returnLastState) {
            CompositeSelectiveScan.Result r = CompositeSelectiveScan.forward(arrays(in), returnLastState);
            return new ScanOutputs(values(r.out()), r.lastState() == null ? null : values(r.lastState()));
        }

        @Override
        public ScanGradients backward(ScanInputs in, float[] dout) {
            ScanShape s = in.shape();
            CompositeSelectiveScan.Gradients g = CompositeSelectiveScan.backward(arrays(in),
                    array(dout, s.batch(), s.channels(), s.length()));
            return new ScanGradients(values(g.du()), values(g.ddelta()), values(g.da()), values(g.db()),
                    values(g.dc()), values(g.dd()), values(g.dz()), values(g.ddeltaBias()));
        }

        private static ScanArrays arrays(ScanInputs in) {
            ScanShape s = in.shape();
            long[] seq = {s.batch(), s.channels(), s.length()};
            return new ScanArrays(array(in.u(), seq), array(in.delta(), seq), array(in.a(), s.channels(), s.state()),
                    array(in.b(), s.bcShape()), array(in.c(), s.bcShape()), array(in.d(), s.channels()),
                    array(in.z(), seq), array(in.deltaBias(), s.channels()), in.deltaSoftplus());
        }

        private static INDArray array(float[] values, long... shape) {
            return values == null ? null : Nd4j.createFromArray(values).reshape(shape);
        }

        private static float[] values(INDArray a) {
            if (a == null) {
                return null;
            }
            return DenseArrays.toFloats(a);
        }
    }
}
