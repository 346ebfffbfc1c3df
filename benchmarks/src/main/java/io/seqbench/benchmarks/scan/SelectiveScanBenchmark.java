package io.seqbench.benchmarks.scan;

import io.seqbench.kernels.op.JavaOps;
import io.seqbench.kernels.scan.CompositeSelectiveScan;
import io.seqbench.kernels.scan.FusedSelectiveScan;
import io.seqbench.kernels.scan.ScanArrays;
import io.seqbench.kernels.scan.ScanBuffers;
import io.seqbench.kernels.scan.ScanGradientBuffers;
import io.seqbench.kernels.scan.ScanInputs;
import io.seqbench.kernels.scan.ScanShape;
import io.seqbench.kernels.scan.SelectiveScanReference;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The selective scan of one Mamba layer (batch 4, channels 256, state 16, softplus, D, z and delta_bias), forward
 * and forward+backward, for each implementation:
 * <ul>
 *   <li>{@code fused}: {@link FusedSelectiveScan} on all available processors, zero-copy on ND4J input
 *       buffers, forward saving checkpoints and backward recomputing from them;</li>
 *   <li>{@code fused-1t}: the same on one thread (the per-thread cost);</li>
 *   <li>{@code composite}: {@link CompositeSelectiveScan}, stock ND4J ops on materialised tensors (its backward
 *       shares the forward's tensors, as autodiff would);</li>
 *   <li>{@code reference}: {@link SelectiveScanReference}, sequential double precision.</li>
 * </ul>
 * Sample-time mode, so the JSON holds the median (p0.50) of individual calls. Divide by
 * batch·channels·length·state for ns per state update ({@code docs/benchmarks/scan_cpu_table.py} does).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g",
        "-Dopexec=io.seqbench.kernels.op.JavaOpExecutioner", "-Dorg.nd4j.log.initialization=false"})
@State(Scope.Benchmark)
public class SelectiveScanBenchmark {
    static final int BATCH = 4;
    static final int CHANNELS = 256;
    static final int STATE = 16;

    @Param({"256", "1024", "4096"})
    public int length;

    @Param({"fused", "fused-1t", "composite", "reference"})
    public String impl;

    private ScanInputs host;
    private ScanArrays arrays;
    private ScanBuffers buffers;
    private FusedSelectiveScan fused;
    private FloatBuffer out;
    private FloatBuffer checkpoints;
    private float[] dout;
    private INDArray doutArray;
    private FloatBuffer doutBuffer;
    private ScanGradientBuffers grads;

    @Setup(Level.Trial)
    public void setUp() {
        JavaOps.install();
        ScanShape s = new ScanShape(BATCH, CHANNELS, length, STATE, 0);
        host = ScanBenchmarkInputs.host(s, 42);
        arrays = ScanBenchmarkInputs.arrays(host);
        dout = ScanBenchmarkInputs.normal(new java.util.SplittableRandom(7), (int) s.sequenceElements());
        doutArray = Nd4j.createFromArray(dout).reshape(BATCH, CHANNELS, length);
        if (impl.startsWith("fused")) {
            if (!FusedSelectiveScan.vectorized()) {
                throw new IllegalStateException("the fused scan would run its scalar fallback ("
                        + FusedSelectiveScan.backend() + "); fork JVMs need --add-modules=jdk.incubator.vector");
            }
            int threads = impl.equals("fused-1t") ? 1 : Runtime.getRuntime().availableProcessors();
            fused = FusedSelectiveScan.create(threads);
            buffers = arrays.floatBuffers();
            out = FloatBuffer.allocate((int) s.sequenceElements());
            checkpoints = FloatBuffer.allocate(BATCH * CHANNELS * fused.checkpointsPerRow(length) * STATE);
            doutBuffer = FloatBuffer.wrap(dout);
            grads = new ScanGradientBuffers(FloatBuffer.allocate((int) s.sequenceElements()),
                    FloatBuffer.allocate((int) s.sequenceElements()), FloatBuffer.allocate(CHANNELS * STATE),
                    FloatBuffer.allocate((int) s.bcElements()), FloatBuffer.allocate((int) s.bcElements()),
                    FloatBuffer.allocate(CHANNELS), FloatBuffer.allocate((int) s.sequenceElements()),
                    FloatBuffer.allocate(CHANNELS));
            System.out.println("fused scan backend: " + FusedSelectiveScan.backend() + ", threads " + threads);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (fused != null) {
            fused.close();
        }
    }

    @Benchmark
    public Object forward() {
        switch (impl) {
            case "fused", "fused-1t" -> {
                fused.forward(buffers, out, null, null);
                return out;
            }
            case "composite" -> {
                CompositeSelectiveScan.Result r = CompositeSelectiveScan.forward(arrays, false);
                r.out().close();
                return r;
            }
            case "reference" -> {
                return SelectiveScanReference.forward(host, false);
            }
            default -> throw new IllegalArgumentException(impl);
        }
    }

    @Benchmark
    public Object forwardBackward() {
        switch (impl) {
            case "fused", "fused-1t" -> {
                fused.forward(buffers, out, null, checkpoints);
                fused.backward(buffers, checkpoints, doutBuffer, null, grads);
                return grads;
            }
            case "composite" -> {
                CompositeSelectiveScan.Gradients g = CompositeSelectiveScan.forwardBackward(arrays, doutArray);
                for (INDArray a : new INDArray[]{g.out(), g.du(), g.ddelta(), g.da(), g.db(), g.dc(), g.dd(), g.dz(),
                        g.ddeltaBias()}) {
                    if (a != null && !a.isView()) {
                        a.close();
                    }
                }
                return g;
            }
            case "reference" -> {
                Object o = SelectiveScanReference.forward(host, false);
                return new Object[]{o, SelectiveScanReference.backward(host, dout)};
            }
            default -> throw new IllegalArgumentException(impl);
        }
    }
}
