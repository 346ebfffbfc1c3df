package io.seqbench.kernels.cuda;

import io.seqbench.kernels.scan.ScanShape;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static io.seqbench.kernels.cuda.CudaDriver.check;

/**
 * GPU microbenchmark of the fused selective scan (the design card's kernel benchmark): forward, and forward +
 * backward, timed with CUDA events (median of many runs after warm-up) on Mamba's configuration (D, z,
 * delta_bias, softplus), with the bytes moved, the achieved bandwidth and the ratios to two floors:
 * <ul>
 *   <li>memory floor: the fewest bytes (each input read once, each output written once) / 4.3 TB/s (the
 *       H200's measured copy bandwidth; the benchmark also measures a device-to-device copy itself);</li>
 *   <li>exp floor: batch·channels·length·state exponentials (twice that for forward + backward, whose backward
 *       recomputes the states) at 16 per SM per clock (the special-function unit's rate on compute capability
 *       8.x/9.0) at the driver's reported SM clock.</li>
 * </ul>
 * Inputs are generated on the device (uniform, never zeros); A = −(n+1) (Mamba's S4D-real initialisation).
 *
 * <p>No ND4J: {@code java -cp kernels-classes:jcuda.jar:jcuda-natives.jar io.seqbench.kernels.cuda.CudaScanBenchmark
 * --out results.json [--lengths 512,2048,8192] [--batch 8] [--channels 2048] [--state 16] [--warmup 10]
 * [--repeats 50] [--sweep] [--variant v3/ns4/fma0/ct32|v4/ns4/fma0/ct32|v5/ns8/fma0/ct64] [--bwd-ns 4|8|16|400]}.
 */
public final class CudaScanBenchmark {

    /** The memory bandwidth the floor uses, bytes/s. */
    public static final double FLOOR_BANDWIDTH = 4.3e12;
    /** Exponentials per SM per clock on the special-function unit (compute capability 8.0-9.0). */
    public static final int EXP_PER_SM_PER_CLOCK = 16;

    private CudaScanBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        try {
            run(args, System.out);
        } catch (CudaUnavailableException e) {
            System.out.println(e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Runs the benchmark with the command-line arguments of {@link #main} (the class documentation), printing the
     * table to {@code log} and writing the JSON report.
     *
     * @throws CudaUnavailableException ("CUDA not available: …") when the kernels cannot run here
     */
    public static void run(String[] args, PrintStream log) throws IOException {
        Path outFile = Path.of(CudaScanVerification.arg(args, "--out", "scan-gpu-benchmark.json"));
        int batch = Integer.parseInt(CudaScanVerification.arg(args, "--batch", "8"));
        int channels = Integer.parseInt(CudaScanVerification.arg(args, "--channels", "2048"));
        int state = Integer.parseInt(CudaScanVerification.arg(args, "--state", "16"));
        int warmup = Integer.parseInt(CudaScanVerification.arg(args, "--warmup", "10"));
        int repeats = Integer.parseInt(CudaScanVerification.arg(args, "--repeats", "50"));
        boolean sweep = Arrays.asList(args).contains("--sweep");
        int[] lengths = Arrays.stream(CudaScanVerification.arg(args, "--lengths", "512,2048,8192").split(","))
                .mapToInt(Integer::parseInt).toArray();
        ScanGeometry.ForwardVariant chosen = parseVariant(CudaScanVerification.arg(args, "--variant", null));
        int bwdNs = Integer.parseInt(CudaScanVerification.arg(args, "--bwd-ns", "0"));

        CudaStatus.probe().require();
        ScanModule module = ScanModule.shared();
        CudaDeviceInfo dev = module.device();
        double expRate = (double) EXP_PER_SM_PER_CLOCK * dev.multiprocessors() * dev.clockKhz() * 1e3;

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("device", CudaScanVerification.deviceMap(dev));
        report.put("copy_bandwidth_bytes_per_s", copyBandwidth(module));
        Map<String, Object> method = new LinkedHashMap<>();
        method.put("timing", "CUDA events around each call on the default stream, each run queued behind a delay"
                + " kernel that holds the stream until the host has queued it (delay_us; host_bound_runs counts runs"
                + " the host queued more slowly, which may include host time); median of " + repeats + " runs after "
                + warmup + " warm-up runs");
        method.put("inputs", "device-generated uniform: u, B, C, dout in [-1,1), delta in [-2,2), z in [-2,2);"
                + " A = -(n+1); D in [0.5,1.5); delta_bias = softplus^-1(dt), dt log-uniform in [1e-3, 1e-1];"
                + " delta_softplus on");
        method.put("memory_floor", "minimal bytes / " + FLOOR_BANDWIDTH + " B/s; forward: read u, delta, z, B, C,"
                + " write out; backward: read u, delta, z, dout, B, C, write du, ddelta, dz, dB, dC");
        method.put("exp_floor", "exponentials / (" + EXP_PER_SM_PER_CLOCK + " per SM per clock x "
                + dev.multiprocessors() + " SMs x " + dev.clockKhz() / 1000 + " MHz); forward b*d*l*n, forward+"
                + "backward 2*b*d*l*n (the backward recomputes the states)");
        method.put("bytes_moved", "analytic DRAM traffic of the kernels as written: each array they read or write"
                + " counted once, including the forward's saved chunk states and the backward's per-block partial"
                + " sums; B and C re-reads by each channel tile (served by L2) not counted");
        report.put("method", method);
        report.put("forward_staging", ScanGeometry.forwardBulkDefault() && module.limits().bulkCopy()
                ? "copy engine (cp.async.bulk)" : "per-thread cp.async");

        List<Object> rows = new ArrayList<>();
        List<String> table = new ArrayList<>();
        table.add(String.format(Locale.ROOT, "%-6s %-9s %10s %10s %9s %8s %9s %9s %7s  %s", "length", "pass",
                "median_us", "min_us", "MB", "GB/s", "x_memflr", "x_expflr", "regs", "kernel"));
        for (int length : lengths) {
            ScanShape s = new ScanShape(batch, channels, length, state, 0);
            try (ScanWorkspace w = ScanWorkspace.allocate(module, s, true, true, true, true)) {
                fillInputs(module, w, 1234 + length);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("shape", CudaScanVerification.shapeMap(s));
                if (sweep) {
                    List<Object> sw = new ArrayList<>();
                    double best = Double.MAX_VALUE;
                    String bestV = null;
                    List<Object[]> sweepList = new ArrayList<>();
                    for (ScanGeometry.ForwardVariant v : sweepVariants(state)) {
                        sweepList.add(new Object[]{v, null});
                    }
                    if (state <= 16) {  // the previous default (version 3, o3) staged by the copy engine too
                        sweepList.add(new Object[]{ScanGeometry.ForwardVariant.v3(4, 0, 32), Boolean.TRUE});
                    }
                    for (Object[] vo : sweepList) {
                        ScanGeometry.ForwardVariant v = (ScanGeometry.ForwardVariant) vo[0];
                        boolean bulk = vo[1] != null ? (Boolean) vo[1] : ScanGeometry.forwardBulkDefault();
                        String label = v + (v.version() == 3 ? (bulk ? "/bulk" : "/cp.async") : "");
                        w.bulkAllowed(bulk);
                        w.variant(v);
                        double[] t = time(module, warmup, Math.max(20, repeats / 2), () -> w.forward(false, false)).ms();
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("variant", label);
                        m.put("launch", CudaScanVerification.launchMap(w.forward(false, false)));
                        m.put("median_us", median(t) * 1e3);
                        sw.add(m);
                        log.printf(Locale.ROOT, "  sweep L=%d %-25s %9.1f us%n", length, m.get("variant"),
                                median(t) * 1e3);
                        if (median(t) < best) {
                            best = median(t);
                            bestV = label;
                        }
                    }
                    row.put("forward_sweep", sw);
                    row.put("forward_sweep_best", String.valueOf(bestV));
                    w.variant(chosen).bulkAllowed(ScanGeometry.forwardBulkDefault());
                    List<Object> bsw = new ArrayList<>();
                    for (int ns : ScanGeometry.BACKWARD_CHOICES) {
                        w.backwardStatesPerLane(ns);
                        w.forward(true, false);
                        ScanGeometry.Launch bl0;
                        try {
                            bl0 = w.backward(false);
                        } catch (IllegalArgumentException e) {
                            continue;
                        }
                        double[] t = time(module, warmup, Math.max(20, repeats / 2), () -> w.backward(false)).ms();
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("launch", CudaScanVerification.launchMap(bl0));
                        m.put("median_us", median(t) * 1e3);
                        bsw.add(m);
                        log.printf(Locale.ROOT, "  sweep L=%d backward %-14s %9.1f us%n", length,
                                bl0.kernel().replace("seqbench_scan_", ""), median(t) * 1e3);
                    }
                    row.put("backward_sweep", bsw);
                    w.backwardStatesPerLane(bwdNs);
                }
                w.variant(chosen).backwardStatesPerLane(bwdNs);
                ScanGeometry.Launch fl = w.forward(false, false);
                ScanGeometry.Launch bl = w.forward(true, false);
                ScanGeometry.Launch bwl = w.backward(false);
                module.synchronize();

                Timing fwd = time(module, warmup, repeats, () -> w.forward(false, false));
                Timing fwdTrain = time(module, warmup, repeats, () -> w.forward(true, false));
                w.forward(true, false);
                Timing bwd = time(module, warmup, repeats, () -> w.backward(false));
                Timing both = time(module, warmup, repeats, () -> {
                    w.forward(true, false);
                    w.backward(false);
                });

                long seq = s.sequenceElements() * 4;
                long bc = s.bcElements() * 4;
                long params = (long) channels * (state + 2) * 4;
                long carries = ScanGeometry.carryFloats(s) * 4;
                long partial = ScanGeometry.bcPartialFloats(s, bwl) * 4;
                long small = (long) batch * channels * (state + 2) * 4;
                long fwdMin = 3 * seq + 2 * bc + seq;
                long bwdMin = 4 * seq + 2 * bc + 3 * seq + 2 * bc;
                long fwdBytes = fwdMin + params;
                long fwdTrainBytes = fwdBytes + carries;
                long bwdBytes = bwdMin + params + carries + 2 * partial + 2 * small;
                double exps = (double) s.stateUpdates();

                Map<String, Object> passes = new LinkedHashMap<>();
                passes.put("forward", pass(fwd, fwdBytes, fwdMin, exps, expRate, fl, module));
                passes.put("forward_saving_states", pass(fwdTrain, fwdTrainBytes, fwdMin, exps, expRate, bl, module));
                passes.put("backward", pass(bwd, bwdBytes, bwdMin, exps, expRate, bwl, module));
                passes.put("forward_backward", pass(both, fwdTrainBytes + bwdBytes, fwdMin + bwdMin, 2 * exps,
                        expRate, null, module));
                row.put("passes", passes);
                row.put("forward_backward_over_forward", both.median() / fwd.median());
                row.put("device_bytes_allocated", w.deviceBytes());
                rows.add(row);
                for (Map.Entry<String, Object> e : passes.entrySet()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> p = (Map<String, Object>) e.getValue();
                    table.add(String.format(Locale.ROOT, "%-6d %-9s %10.1f %10.1f %9.1f %8.0f %9.2f %9.2f %7s  %s",
                            length, shortName(e.getKey()), (Double) p.get("median_us"), (Double) p.get("min_us"),
                            (Long) p.get("bytes") / 1e6, (Double) p.get("achieved_gb_per_s"),
                            (Double) p.get("over_memory_floor"), (Double) p.get("over_exp_floor"),
                            String.valueOf(p.getOrDefault("registers", "-")), p.getOrDefault("config", "")));
                }
                table.add(String.format(Locale.ROOT, "%-6d fwd+bwd / fwd = %.2f", length, both.median() / fwd.median()));
            }
        }
        report.put("results", rows);
        Files.writeString(outFile, Json.write(report));
        log.println();
        log.println("GPU: " + dev.name() + " (cc " + dev.computeCapabilityText() + ", " + dev.multiprocessors()
                + " SMs, " + dev.clockKhz() / 1000 + " MHz); batch " + batch + ", channels " + channels + ", state "
                + state + "; D, z, delta_bias, softplus on");
        for (String line : table) {
            log.println(line);
        }
        log.println("wrote " + outFile);
    }

    private static String shortName(String pass) {
        return switch (pass) {
            case "forward" -> "fwd";
            case "forward_saving_states" -> "fwd+save";
            case "backward" -> "bwd";
            default -> "fwd+bwd";
        };
    }

    private static Map<String, Object> pass(Timing timing, long bytes, long minBytes, double exps, double expRate,
                                            ScanGeometry.Launch launch, ScanModule module) {
        double med = timing.median() * 1e-3;
        double memFloor = minBytes / FLOOR_BANDWIDTH;
        double expFloor = exps / expRate;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median_us", med * 1e6);
        m.put("min_us", timing.min() * 1e3);
        m.put("max_us", timing.max() * 1e3);
        m.put("runs", timing.ms().length);
        m.put("delay_us", timing.delayNanos() / 1e3);
        m.put("host_queue_max_us", timing.hostQueueMaxMicros());
        m.put("host_bound_runs", timing.hostBound());
        m.put("bytes", bytes);
        m.put("min_bytes", minBytes);
        m.put("achieved_gb_per_s", bytes / med / 1e9);
        m.put("memory_floor_us", memFloor * 1e6);
        m.put("exp_floor_us", expFloor * 1e6);
        m.put("over_memory_floor", med / memFloor);
        m.put("over_exp_floor", med / expFloor);
        m.put("over_max_floor", med / Math.max(memFloor, expFloor));
        if (launch != null) {
            m.put("launch", CudaScanVerification.launchMap(launch));
            m.put("registers", module.registers(launch.kernel()));
            m.put("blocks_per_sm", module.blocksPerSm(launch));
            m.put("config", launch.kernel().replace("seqbench_scan_", "") + "/ct" + launch.channelsPerBlock() + "/p"
                    + launch.lanesPerChannel());
        }
        return m;
    }

    /**
     * What {@link #time} measured: each repetition's milliseconds, the delay queued before each, the longest the host
     * took to queue one repetition, and how many repetitions the host took longer than the delay to queue (those may
     * include host time).
     */
    record Timing(double[] ms, long delayNanos, double hostQueueMaxMicros, int hostBound) {
        double median() {
            return CudaScanBenchmark.median(ms);
        }

        double min() {
            return Arrays.stream(ms).min().orElse(Double.NaN);
        }

        double max() {
            return Arrays.stream(ms).max().orElse(Double.NaN);
        }
    }

    /** Delay before a repetition when there was no warm-up to measure the host's queueing time by. */
    static final long DEFAULT_DELAY_NANOS = 2_000_000L;

    /**
     * Times {@code body} (work queued on the default stream) {@code repeats} times with CUDA events, after {@code
     * warmup} untimed runs. Each repetition is queued behind {@code seqbench_delay}, a kernel that holds the stream
     * for longer than the host takes to queue the start event, the body and the stop event (three times the
     * slowest warm-up run plus 100 µs, at least 200 µs): the start event is reached only when the body is already
     * queued, so the events time the GPU's work and not the host's launch path. Without it, the Java launch path
     * (argument marshalling, interpreted until the JIT compiles it) counted in every repetition: 229 µs kernels
     * read 297 µs.
     */
    static Timing time(ScanModule module, int warmup, int repeats, Runnable body) {
        long slowest = 0;
        for (int i = 0; i < warmup; i++) {
            long t0 = System.nanoTime();
            body.run();
            slowest = Math.max(slowest, System.nanoTime() - t0);
        }
        module.synchronize();
        long delay = warmup == 0 ? DEFAULT_DELAY_NANOS
                : Math.min(20_000_000L, Math.max(200_000L, 3 * slowest + 100_000L));
        double[] ms = new double[repeats];
        long hostMax = 0;
        int hostBound = 0;
        try (ScanModule.Timer t = new ScanModule.Timer()) {
            for (int i = 0; i < repeats; i++) {
                module.delay(delay);
                long t0 = System.nanoTime();
                t.start();
                body.run();
                t.stop();
                long host = System.nanoTime() - t0;
                hostMax = Math.max(hostMax, host);
                if (host >= delay) {
                    hostBound++;
                }
                ms[i] = t.elapsedMillis();
            }
        }
        module.synchronize();
        return new Timing(ms, delay, hostMax / 1e3, hostBound);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    static void fillInputs(ScanModule module, ScanWorkspace w, int seed) {
        ScanShape s = w.shape();
        fill(module, w.u, seed, -1, 1);
        fill(module, w.delta, seed + 1, -2, 2);
        fill(module, w.z, seed + 2, -2, 2);
        fill(module, w.b, seed + 3, -1, 1);
        fill(module, w.c, seed + 4, -1, 1);
        fill(module, w.dout, seed + 5, -1, 1);
        float[] a = new float[s.channels() * s.state()];
        for (int d = 0; d < s.channels(); d++) {
            for (int n = 0; n < s.state(); n++) {
                a[d * s.state() + n] = -(n + 1);
            }
        }
        Random r = new Random(seed);
        float[] dSkip = new float[s.channels()];
        float[] bias = new float[s.channels()];
        for (int d = 0; d < s.channels(); d++) {
            dSkip[d] = 0.5f + r.nextFloat();
            double dt = Math.exp(Math.log(1e-3) + r.nextDouble() * Math.log(100));
            bias[d] = (float) (dt + Math.log(-Math.expm1(-dt)));
        }
        w.a.upload(a);
        w.d.upload(dSkip);
        w.bias.upload(bias);
        w.setA(a);
        module.synchronize();
    }

    static void fill(ScanModule module, DeviceBuffer buf, int seed, float lo, float hi) {
        int blocks = (int) Math.min(4096, (buf.floats() + 255) / 256);
        module.launch("seqbench_fill_uniform", blocks, 1, 256, 0, buf.address(), buf.floats(), seed, lo, hi);
    }

    /** Device-to-device copy bandwidth (bytes read + written per second), median of 10 copies of 1 GiB. */
    static double copyBandwidth(ScanModule module) {
        long bytes = 1L << 30;
        try (DeviceBuffer src = DeviceBuffer.floats(bytes / 4); DeviceBuffer dst = DeviceBuffer.floats(bytes / 4)) {
            fill(module, src, 7, -1, 1);
            Timing t = time(module, 3, 10, () -> check(JCudaDriver.cuMemcpyDtoD(ptr(dst), ptr(src), bytes),
                    "cuMemcpyDtoD"));
            return 2.0 * bytes / (t.median() * 1e-3);
        }
    }

    private static jcuda.driver.CUdeviceptr ptr(DeviceBuffer b) {
        return b.pointer();
    }

    /**
     * The forward variants a sweep times: versions 5 and 4 (state ≤ 16), and every version-3 kernel that holds the state at
     * 32, 64 and 128 threads per block (v3/ns4/fma0/ct32 is the previous default, the same-run baseline).
     */
    static List<ScanGeometry.ForwardVariant> sweepVariants(int state) {
        List<ScanGeometry.ForwardVariant> v = new ArrayList<>();
        if (state <= 16) {
            v.add(ScanGeometry.ForwardVariant.v5());
            v.add(ScanGeometry.ForwardVariant.v4());
        }
        for (int[] k : ScanGeometry.FORWARD3_KERNELS) {
            if (4 * k[0] < state || (k[0] > 4 && 2 * k[0] >= state)) {
                continue;  // too few states, or a smaller kernel holds them
            }
            for (int threads : new int[]{32, 64, 128}) {
                v.add(ScanGeometry.ForwardVariant.v3(k[0], k[1], threads / 4));
            }
        }
        return v;
    }

    /**
     * "v3/ns4/fma0/ct32", "v4/ns4/fma0/ct32" or "v5/ns8/fma0/ct64"; the older unprefixed form ("ns4/fma0/ct32") meant version 1, which
     * was removed, and is refused.
     */
    static ScanGeometry.ForwardVariant parseVariant(String text) {
        if (text == null) {
            return ScanGeometry.ForwardVariant.AUTO;
        }
        String[] p = text.split("/");
        int version = 1;
        int i = 0;
        if (p[0].startsWith("v")) {
            version = Integer.parseInt(p[0].substring(1));
            i = 1;
        }
        return new ScanGeometry.ForwardVariant(version, Integer.parseInt(p[i].replace("ns", "")),
                Integer.parseInt(p[i + 1].replace("fma", "")), Integer.parseInt(p[i + 2].replace("ct", "")));
    }
}
