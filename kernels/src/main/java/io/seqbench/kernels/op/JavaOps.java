package io.seqbench.kernels.op;

import io.seqbench.kernels.conv.CausalConvBackwardOp;
import io.seqbench.kernels.conv.CausalConvOp;
import io.seqbench.kernels.embedding.EmbeddingBackwardOp;
import io.seqbench.kernels.embedding.EmbeddingOp;
import io.seqbench.kernels.fft.CausalFftConvBackwardOp;
import io.seqbench.kernels.fft.CausalFftConvOp;
import io.seqbench.kernels.norm.RmsNormBackwardOp;
import io.seqbench.kernels.norm.RmsNormOp;
import io.seqbench.kernels.rnn.GruBackwardOp;
import io.seqbench.kernels.rnn.GruOp;
import io.seqbench.kernels.scan.SelectiveScanBackwardOp;
import io.seqbench.kernels.scan.SelectiveScanOp;
import io.seqbench.kernels.vandermonde.VandermondeKernelBackwardOp;
import io.seqbench.kernels.vandermonde.VandermondeKernelOp;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.imports.converters.ImportClassMapping;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Installs SeqBench's Java custom ops into ND4J: the executioner that runs them and the registration SameDiff
 * needs to clone graphs that contain them.
 *
 * <p>Every entry point calls {@link #install()} before it touches ND4J: the CLI's main, the surefire test JVMs
 * (through the {@code opexec} property set in the parent POM, completed lazily here), and the JMH benchmarks.
 * It is idempotent and cheap after the first call.
 */
public final class JavaOps {

    /** System property read by ND4J at initialisation to choose its op executioner. */
    static final String EXECUTIONER_PROPERTY = "opexec";

    /**
     * Every Java op of the project, one line each. SameDiff's gradient-graph clone finds an op's class by its
     * name through this list; an op missing here fails at its first backward pass.
     */
    static final List<Supplier<JavaOp>> OPS = List.of(
            EmbeddingOp::new,
            EmbeddingBackwardOp::new,
            SelectiveScanOp::new,
            SelectiveScanBackwardOp::new,
            CausalFftConvOp::new,
            CausalFftConvBackwardOp::new,
            VandermondeKernelOp::new,
            VandermondeKernelBackwardOp::new,
            GruOp::new,
            GruBackwardOp::new,
            CausalConvOp::new,
            CausalConvBackwardOp::new,
            RmsNormOp::new,
            RmsNormBackwardOp::new);

    private static volatile boolean registered;

    private JavaOps() {
    }

    /**
     * Makes ND4J able to run Java ops. Call before the first use of {@code Nd4j} where possible; if ND4J was
     * already initialised with another executioner, that executioner is replaced.
     *
     * @throws IllegalStateException if ND4J runs on a backend this mechanism does not support
     */
    public static synchronized void install() {
        if (System.getProperty(EXECUTIONER_PROPERTY) == null) {
            System.setProperty(EXECUTIONER_PROPERTY, JavaOpExecutioner.class.getName());
        }
        OpExecutioner current = Nd4j.getExecutioner();
        if (!(current instanceof JavaOpExecutioner)) {
            replaceExecutioner(current);
        }
        registerOps();
    }

    /** True when Java ops can run: the executioner is ours. */
    public static boolean isInstalled() {
        return Nd4j.getExecutioner() instanceof JavaOpExecutioner;
    }

    /**
     * Called by every {@link JavaOp} constructor: fails with a clear message when ops cannot run, and completes
     * the registration when the executioner was chosen by the {@code opexec} property alone.
     */
    static void requireInstalled(Class<?> opClass) {
        OpExecutioner current = Nd4j.getExecutioner();
        if (!(current instanceof JavaOpExecutioner)) {
            throw new JavaOpsNotInstalledException("Java op " + opClass.getSimpleName()
                    + " cannot run: ND4J's op executioner is " + current.getClass().getName()
                    + ", not " + JavaOpExecutioner.class.getName()
                    + ". Call io.seqbench.kernels.op.JavaOps.install() before building a graph (every SeqBench"
                    + " entry point does this).");
        }
        if (!registered) {
            registerOps();
        }
    }

    private static synchronized void registerOps() {
        if (registered) {
            return;
        }
        registered = true; // set first: constructing the ops below re-enters requireInstalled
        Map<String, DifferentialFunction> byName = ImportClassMapping.getOpNameMapping();
        for (Supplier<JavaOp> factory : OPS) {
            JavaOp op = factory.get();
            DifferentialFunction previous = byName.putIfAbsent(op.opName(), op);
            if (previous != null && previous.getClass() != op.getClass()) {
                throw new IllegalStateException("Op name " + op.opName() + " of " + op.getClass().getName()
                        + " is already taken by " + previous.getClass().getName());
            }
        }
    }

    private static void replaceExecutioner(OpExecutioner current) {
        String backend = current.getClass().getName();
        if (!backend.startsWith("org.nd4j.linalg.cpu.")) {
            throw new IllegalStateException("SeqBench's Java ops support ND4J's CPU backend here; ND4J runs "
                    + backend + ". For the CUDA backend, build with -Pcuda, which installs its own executioner.");
        }
        try {
            Field field = Nd4j.class.getDeclaredField("OP_EXECUTIONER_INSTANCE");
            field.setAccessible(true);
            field.set(null, new JavaOpExecutioner());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("ND4J was initialised before JavaOps.install() and its executioner"
                    + " could not be replaced; start the JVM with -D" + EXECUTIONER_PROPERTY + "="
                    + JavaOpExecutioner.class.getName(), e);
        }
    }
}
