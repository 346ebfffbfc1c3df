package io.seqbench.kernels.cuda;

import io.seqbench.kernels.npy.Npy;
import io.seqbench.kernels.npy.NpyArray;
import io.seqbench.kernels.scan.DoubleScanGradients;
import io.seqbench.kernels.scan.DoubleScanInputs;
import io.seqbench.kernels.scan.DoubleScanOutputs;
import io.seqbench.kernels.scan.ScanGradients;
import io.seqbench.kernels.scan.ScanInputs;
import io.seqbench.kernels.scan.ScanOutputs;
import io.seqbench.kernels.scan.ScanShape;
import io.seqbench.kernels.scan.SelectiveScanReference;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the CUDA kernels against the double-precision CPU reference ({@link SelectiveScanReference}) on
 * randomised shapes: every output and every gradient, with outputs poisoned with NaN before each run, every
 * compiled forward variant, and a bitwise repeat of the backward (its sums have a fixed order).
 *
 * <p>Usable on a GPU machine without ND4J: {@code java -cp kernels-classes:jcuda.jar:jcuda-natives.jar
 * io.seqbench.kernels.cuda.CudaScanVerification --out DIR [--seed S] [--tolerance 1e-3] [--torch-dir DIR]}.
 * Writes {@code DIR/verification.json}; with {@code --torch-dir}, also the first case's inputs and CUDA results
 * as .npy files for {@code scan_torch_bench.py --check}; {@code --quick} runs the small cases only (for
 * compute-sanitizer).
 */
public final class CudaScanVerification {

    /** The acceptance bound of the issue: 1e-3 relative. */
    public static final double DEFAULT_TOLERANCE = 1e-3;

    private CudaScanVerification() {
    }

    /** The verification shapes: non-powers of two, partial chunks, lengths not multiples of 4, every option, and shapes
     * that take each kernel version. */
    public static List<ScanCase> cases() {
        return List.of(
                new ScanCase("mamba-like", new ScanShape(2, 48, 300, 16, 0), true, true, true, true, false, false),
                new ScanCase("groups4-n5-odd-length", new ScanShape(3, 40, 77, 5, 4), true, false, true, true, false,
                        true),
                new ScanCase("n64-groups2", new ScanShape(1, 96, 1000, 64, 2), true, true, true, true, false, true),
                new ScanCase("n37-no-softplus", new ScanShape(2, 24, 33, 37, 3), false, true, false, false, false,
                        false),
                new ScanCase("n1-130ch-mixed-sign-A", new ScanShape(4, 130, 513, 1, 0), true, true, true, true, true,
                        false),
                new ScanCase("bench-like-dlast", new ScanShape(2, 64, 2048, 16, 0), true, true, true, true, false,
                        true),
                new ScanCase("one-channel-per-group", new ScanShape(1, 7, 45, 12, 7), true, false, false, true, false,
                        false),
                // shapes the version-2 backward takes (state <= 16, length a multiple of 4, 32k channels per group):
                // a partial last chunk with groups and 5 states; no gate, no softplus, A of both signs, 128 channels
                new ScanCase("v2-groups2-n5-partial-chunk", new ScanShape(3, 64, 300, 5, 2), true, true, true, true,
                        false, true),
                new ScanCase("v2-n12-no-gate-no-softplus", new ScanShape(2, 128, 100, 12, 1), true, false, false,
                        false, true, false),
                // the version-4 forward's 4-byte staging path (length not a multiple of 4), 16 states, every option
                new ScanCase("v4-unaligned-length", new ScanShape(2, 64, 203, 16, 0), true, true, true, true, false,
                        true),
                // the version-5 forward with groups (64 channels each), a partial last chunk, 14 states, every option
                new ScanCase("v5-groups2-n14-partial", new ScanShape(2, 128, 164, 14, 2), true, true, true, true,
                        false, true));
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(arg(args, "--out", "."));
        long seed = Long.parseLong(arg(args, "--seed", "20251128"));
        double tol = Double.parseDouble(arg(args, "--tolerance", String.valueOf(DEFAULT_TOLERANCE)));
        String torchDir = arg(args, "--torch-dir", null);
        boolean quick = Arrays.asList(args).contains("--quick");
        Files.createDirectories(out);
        PrintStream log = System.out;

        CudaStatus status = CudaStatus.probe();
        if (!status.available()) {
            log.println("CUDA unavailable: " + status.message());
            System.exit(2);
        }
        ScanModule module = ScanModule.shared();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("device", deviceMap(module.device()));
        report.put("tolerance", tol);
        report.put("seed", seed);
        List<Object> results = new ArrayList<>();
        boolean allPass = true;
        List<ScanCase> cases = cases();
        for (int i = 0; i < cases.size(); i++) {
            ScanCase sc = cases.get(i);
            if (quick && sc.shape().sequenceElements() * sc.shape().state() > 2_000_000) {
                continue;  // --quick (for the slow sanitizer runs): the small cases only
            }
            Map<String, Object> r = runCase(module, sc, seed + i, tol,
                    i == 0 && torchDir != null ? Path.of(torchDir) : null, log);
            allPass &= (Boolean) r.get("pass");
            results.add(r);
        }
        Map<String, Object> variants = runVariants(module, cases.get(0), seed, tol, quick, false, log);
        allPass &= (Boolean) variants.get("pass");
        // the version-4 and version-5 kernels on the cases they take (the first case has 48 channels per group:
        // not one of them)
        List<Object> v4 = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            ScanCase sc = cases.get(i);
            boolean small = sc.shape().sequenceElements() * sc.shape().state() <= 2_000_000;
            if ((!quick || small) && ScanGeometry.forward4Unavailable(sc.shape(), sc.hasZ(), module.limits()) == null) {
                Map<String, Object> r = runVariants(module, sc, seed + i, tol, quick, true, log);
                allPass &= (Boolean) r.get("pass");
                v4.add(r);
            }
        }
        report.put("forward_v4_variants", v4);
        report.put("cases", results);
        report.put("forward_variants", variants);
        report.put("pass", allPass);
        Files.writeString(out.resolve("verification.json"), Json.write(report));
        log.println(allPass ? "VERIFICATION PASSED" : "VERIFICATION FAILED");
        if (!allPass) {
            System.exit(1);
        }
    }

    static Map<String, Object> runCase(ScanModule module, ScanCase sc, long seed, double tol, Path torchDir,
                                       PrintStream log) throws IOException {
        ScanInputs in = sc.inputs(seed);
        float[] dout = sc.dout(seed);
        float[] dLast = sc.dLast(seed);
        ScanShape s = sc.shape();

        long t0 = System.nanoTime();
        DoubleScanInputs din = DoubleScanInputs.of(in);
        DoubleScanOutputs refOut = SelectiveScanReference.forward(din, true);
        DoubleScanGradients refG = SelectiveScanReference.backward(din, widen(dout), widen(dLast));
        long refNanos = System.nanoTime() - t0;

        ScanOutputs o;
        ScanGradients g;
        boolean repeatIdentical;
        boolean variantsPass = true;
        List<Object> bwdVariants = new ArrayList<>();
        ScanGeometry.Launch fwdLaunch;
        ScanGeometry.Launch bwdLaunch;
        try (ScanWorkspace w = ScanWorkspace.of(module, in)) {
            w.uploadDout(dout);
            if (dLast != null) {
                w.uploadDLastState(dLast);
            }
            w.poisonOutputs();
            fwdLaunch = w.forward(true, true);
            o = w.outputs(true);
            bwdLaunch = w.backward(dLast != null);
            g = w.gradients();
            w.poisonOutputs();
            w.forward(true, false);
            w.backward(dLast != null);
            ScanGradients again = w.gradients();
            repeatIdentical = identical(g, again);
            // every other compiled backward variant on the same inputs
            for (int ns : ScanGeometry.BACKWARD_CHOICES) {
                if (ScanGeometry.lanesPerChannel(s.state(), ScanGeometry.backwardStatesPerLane(ns))
                        > ScanGeometry.MAX_THREADS / 2) {
                    continue;
                }
                w.backwardStatesPerLane(ns);
                w.poisonOutputs();
                w.forward(true, false);
                ScanGeometry.Launch l;
                try {
                    l = w.backward(dLast != null);
                } catch (IllegalArgumentException e) {
                    w.backwardStatesPerLane(0);
                    continue;  // the version-4 backward does not take this shape
                }
                if (l.kernel().equals(bwdLaunch.kernel())) {
                    continue;  // the default, checked above
                }
                ScanGradients gv = w.gradients();
                double worstV = 0;
                boolean okV = true;
                for (double[][] pair : new double[][][]{
                        {toD(gv.du()), refG.du()}, {toD(gv.ddelta()), refG.ddelta()}, {toD(gv.da()), refG.da()},
                        {toD(gv.db()), refG.db()}, {toD(gv.dc()), refG.dc()}}) {
                    ErrorStats e = ErrorStats.of(toF(pair[0]), pair[1]);
                    okV &= e.within(tol);
                    worstV = Math.max(worstV, Math.max(e.relMax(), e.rel2()));
                }
                for (float[][] pair : new float[][][]{{gv.dz(), refG.dz() == null ? null : toF(refG.dz())},
                        {gv.dd(), refG.dd() == null ? null : toF(refG.dd())},
                        {gv.ddeltaBias(), refG.ddeltaBias() == null ? null : toF(refG.ddeltaBias())}}) {
                    if (pair[0] != null && pair[1] != null) {
                        ErrorStats e = ErrorStats.of(pair[0], widen(pair[1]));
                        okV &= e.within(tol);
                        worstV = Math.max(worstV, Math.max(e.relMax(), e.rel2()));
                    }
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("launch", launchMap(l));
                m.put("worst_rel_error", worstV);
                m.put("pass", okV);
                bwdVariants.add(m);
                variantsPass &= okV;
                log.printf("    backward variant %-24s worst %.2e %s%n", l.kernel().replace("seqbench_scan_", "")
                        + "/ct" + l.channelsPerBlock() + "/p" + l.lanesPerChannel(), worstV, okV ? "PASS" : "FAIL");
            }
            w.backwardStatesPerLane(0);
        }

        Map<String, ErrorStats> errs = new LinkedHashMap<>();
        errs.put("out", ErrorStats.of(o.out(), refOut.out()));
        errs.put("last_state", ErrorStats.of(o.lastState(), refOut.lastState()));
        errs.put("du", ErrorStats.of(g.du(), refG.du()));
        errs.put("ddelta", ErrorStats.of(g.ddelta(), refG.ddelta()));
        errs.put("dA", ErrorStats.of(g.da(), refG.da()));
        errs.put("dB", ErrorStats.of(g.db(), refG.db()));
        errs.put("dC", ErrorStats.of(g.dc(), refG.dc()));
        if (sc.hasD()) {
            errs.put("dD", ErrorStats.of(g.dd(), refG.dd()));
        }
        if (sc.hasZ()) {
            errs.put("dz", ErrorStats.of(g.dz(), refG.dz()));
        }
        if (sc.hasBias()) {
            errs.put("ddelta_bias", ErrorStats.of(g.ddeltaBias(), refG.ddeltaBias()));
        }
        boolean pass = repeatIdentical && variantsPass;
        Map<String, Object> errMap = new LinkedHashMap<>();
        double worst = 0;
        String worstName = "";
        for (Map.Entry<String, ErrorStats> e : errs.entrySet()) {
            pass &= e.getValue().within(tol);
            errMap.put(e.getKey(), e.getValue().toMap());
            double w = Math.max(e.getValue().relMax(), e.getValue().rel2());
            if (e.getValue().nonFinite() > 0) {
                w = Double.POSITIVE_INFINITY;
            }
            if (w >= worst) {
                worst = w;
                worstName = e.getKey();
            }
        }
        log.printf("%-24s %-38s fwd %-26s bwd %-22s worst %-11s %.2e  repeat-identical %b  %s%n", sc.name(),
                shapeText(s, sc), fwdLaunch.kernel().replace("seqbench_scan_", "") + "/ct" + fwdLaunch.channelsPerBlock()
                        + "/p" + fwdLaunch.lanesPerChannel(),
                bwdLaunch.kernel().replace("seqbench_scan_", "") + "/ct" + bwdLaunch.channelsPerBlock() + "/p"
                        + bwdLaunch.lanesPerChannel(), worstName, worst, repeatIdentical, pass ? "PASS" : "FAIL");
        if (!pass) {
            for (Map.Entry<String, ErrorStats> e : errs.entrySet()) {
                log.printf("    %-12s %s%n", e.getKey(), e.getValue());
            }
        }
        if (torchDir != null) {
            writeTorchCase(torchDir, sc, in, dout, o, g);
        }

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", sc.name());
        r.put("shape", shapeMap(s));
        r.put("D", sc.hasD());
        r.put("z", sc.hasZ());
        r.put("delta_bias", sc.hasBias());
        r.put("delta_softplus", sc.softplus());
        r.put("mixed_sign_A", sc.mixedSignA());
        r.put("d_last_state", sc.withDLast());
        r.put("forward_kernel", launchMap(fwdLaunch));
        r.put("backward_kernel", launchMap(bwdLaunch));
        r.put("errors", errMap);
        r.put("backward_repeat_bitwise_identical", repeatIdentical);
        r.put("backward_variants", bwdVariants);
        r.put("reference_seconds", refNanos / 1e9);
        r.put("pass", pass);
        return r;
    }

    /** Every compiled forward variant (lanes, FMA exps, channels per block) on one case's inputs. */
    static Map<String, Object> runVariants(ScanModule module, ScanCase sc, long seed, double tol, boolean quick,
                                           boolean v4Only, PrintStream log) {
        ScanInputs in = sc.inputs(seed);
        DoubleScanOutputs ref = SelectiveScanReference.forward(DoubleScanInputs.of(in), true);
        List<Object> list = new ArrayList<>();
        boolean pass = true;
        try (ScanWorkspace w = ScanWorkspace.of(module, in)) {
            List<Object[]> all = new ArrayList<>();
            for (int[] k : v4Only ? new int[0][] : ScanGeometry.FORWARD3_KERNELS) {
                for (int ct : quick ? new int[]{4} : new int[]{1, 4, 16, 32}) {
                    for (boolean bulk : new boolean[]{true, false}) {
                        if (4 * k[0] >= sc.shape().state()) {
                            all.add(new Object[]{ScanGeometry.ForwardVariant.v3(k[0], k[1], ct), bulk});
                        }
                    }
                }
            }
            if (ScanGeometry.forward4Unavailable(sc.shape(), sc.hasZ(), module.limits()) == null) {
                all.add(new Object[]{ScanGeometry.ForwardVariant.v4(), false});
            }
            if (ScanGeometry.forward5Unavailable(sc.shape(), sc.hasZ(), module.limits(), true) == null) {
                all.add(new Object[]{ScanGeometry.ForwardVariant.v5(), false});
            }
            for (Object[] vb : all) {
                ScanGeometry.ForwardVariant v = (ScanGeometry.ForwardVariant) vb[0];
                int[] k = {v.statesPerLane(), v.expOnFma()};
                {
                    w.variant(v).bulkAllowed((Boolean) vb[1]);
                    w.poisonOutputs();
                    ScanGeometry.Launch l = w.forward(false, true);
                    ScanOutputs o = w.outputs(true);
                    ErrorStats e1 = ErrorStats.of(o.out(), ref.out());
                    ErrorStats e2 = ErrorStats.of(o.lastState(), ref.lastState());
                    boolean ok = e1.within(tol) && e2.within(tol) && l.expOnFma() == k[1];
                    pass &= ok;
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("variant", v.toString() + (v.version() == 3 ? ((Boolean) vb[1] ? "/bulk" : "/cp.async") : ""));
                    m.put("kernel", l.kernel());
                    m.put("launch", launchMap(l));
                    m.put("out", e1.toMap());
                    m.put("last_state", e2.toMap());
                    m.put("pass", ok);
                    list.add(m);
                    if (!ok) {
                        log.printf("variant %s FAIL: out %s last %s%n", v, e1, e2);
                    }
                }
            }
        }
        log.printf("forward variants on %s: %d checked (versions 3, 4 and 5 where they apply, 3 with both"
                + " stagings), %s%n",
                sc.name(), list.size(), pass ? "PASS" : "FAIL");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("case", sc.name());
        r.put("variants", list);
        r.put("pass", pass);
        return r;
    }

    /** One float32 .npy file (io.seqbench.kernels.npy). */
    static void writeNpy(Path file, float[] values, long... shape) throws IOException {
        Npy.write(file, NpyArray.of(values, shape));
    }

    static void writeTorchCase(Path dir, ScanCase sc, ScanInputs in, float[] dout, ScanOutputs o, ScanGradients g)
            throws IOException {
        Files.createDirectories(dir);
        ScanShape s = sc.shape();
        long[] seq = {s.batch(), s.channels(), s.length()};
        long[] bc = s.bcShape();
        long[] a = {s.channels(), s.state()};
        long[] ch = {s.channels()};
        writeNpy(dir.resolve("u.npy"), in.u(), seq);
        writeNpy(dir.resolve("delta.npy"), in.delta(), seq);
        writeNpy(dir.resolve("A.npy"), in.a(), a);
        writeNpy(dir.resolve("B.npy"), in.b(), bc);
        writeNpy(dir.resolve("C.npy"), in.c(), bc);
        writeNpy(dir.resolve("D.npy"), in.d(), ch);
        writeNpy(dir.resolve("z.npy"), in.z(), seq);
        writeNpy(dir.resolve("delta_bias.npy"), in.deltaBias(), ch);
        writeNpy(dir.resolve("dout.npy"), dout, seq);
        writeNpy(dir.resolve("cuda_out.npy"), o.out(), seq);
        writeNpy(dir.resolve("cuda_last_state.npy"), o.lastState(), s.batch(), s.channels(), s.state());
        writeNpy(dir.resolve("cuda_du.npy"), g.du(), seq);
        writeNpy(dir.resolve("cuda_ddelta.npy"), g.ddelta(), seq);
        writeNpy(dir.resolve("cuda_dA.npy"), g.da(), a);
        writeNpy(dir.resolve("cuda_dB.npy"), g.db(), bc);
        writeNpy(dir.resolve("cuda_dC.npy"), g.dc(), bc);
        writeNpy(dir.resolve("cuda_dD.npy"), g.dd(), ch);
        writeNpy(dir.resolve("cuda_dz.npy"), g.dz(), seq);
        writeNpy(dir.resolve("cuda_ddelta_bias.npy"), g.ddeltaBias(), ch);
        Files.writeString(dir.resolve("case.txt"), "softplus=" + sc.softplus() + "\n");
    }

    static boolean identical(ScanGradients a, ScanGradients b) {
        return Arrays.equals(a.du(), b.du()) && Arrays.equals(a.ddelta(), b.ddelta()) && Arrays.equals(a.da(), b.da())
                && Arrays.equals(a.db(), b.db()) && Arrays.equals(a.dc(), b.dc()) && Arrays.equals(a.dd(), b.dd())
                && Arrays.equals(a.dz(), b.dz()) && Arrays.equals(a.ddeltaBias(), b.ddeltaBias());
    }

    private static double[] toD(float[] v) {
        return widen(v);
    }

    private static float[] toF(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    static double[] widen(float[] v) {
        if (v == null) {
            return null;
        }
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    static String shapeText(ScanShape s, ScanCase sc) {
        return "b" + s.batch() + " d" + s.channels() + " l" + s.length() + " n" + s.state() + " g" + s.groups()
                + (sc.hasD() ? " D" : "") + (sc.hasZ() ? " z" : "") + (sc.hasBias() ? " bias" : "")
                + (sc.softplus() ? " sp" : "");
    }

    static Map<String, Object> shapeMap(ScanShape s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch", s.batch());
        m.put("channels", s.channels());
        m.put("length", s.length());
        m.put("state", s.state());
        m.put("groups", s.groups());
        return m;
    }

    static Map<String, Object> launchMap(ScanGeometry.Launch l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernel", l.kernel());
        m.put("grid", List.of(l.gridX(), l.gridY()));
        m.put("threads", l.threads());
        m.put("shared_bytes", l.sharedBytes());
        m.put("channels_per_block", l.channelsPerBlock());
        m.put("lanes_per_channel", l.lanesPerChannel());
        m.put("states_per_lane", l.statesPerLane());
        m.put("exp_on_fma", l.expOnFma());
        m.put("version", l.version());
        return m;
    }

    static Map<String, Object> deviceMap(CudaDeviceInfo d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("compute_capability", d.computeCapabilityText());
        m.put("multiprocessors", d.multiprocessors());
        m.put("sm_clock_mhz", d.clockKhz() / 1000);
        m.put("memory_clock_mhz", d.memoryClockKhz() / 1000);
        m.put("memory_bus_bits", d.memoryBusBits());
        m.put("l2_bytes", d.l2Bytes());
        m.put("memory_bytes", d.totalMemoryBytes());
        m.put("driver_cuda_version", d.driverVersionText());
        return m;
    }

    static String arg(String[] args, String name, String def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return def;
    }
}
