package io.seqbench.kernels.scan;

import io.seqbench.kernels.op.DenseArrays;
import io.seqbench.kernels.op.JavaOps;
import io.seqbench.kernels.scan.ScanFixtures.Options;
import io.seqbench.kernels.testing.GradientCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectiveScanOpTest {

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    static INDArray arr(float[] values, long... shape) {
        return values == null ? null : Nd4j.createFromArray(values).reshape(shape);
    }

    static INDArray arr(double[] values, long... shape) {
        return values == null ? null : Nd4j.createFromArray(values).reshape(shape);
    }

    static ScanArrays arrays(ScanInputs in) {
        ScanShape s = in.shape();
        long[] seq = {s.batch(), s.channels(), s.length()};
        return new ScanArrays(arr(in.u(), seq), arr(in.delta(), seq), arr(in.a(), s.channels(), s.state()),
                arr(in.b(), s.bcShape()), arr(in.c(), s.bcShape()), arr(in.d(), s.channels()), arr(in.z(), seq),
                arr(in.deltaBias(), s.channels()), in.deltaSoftplus());
    }

    static ScanArrays arrays(DoubleScanInputs in) {
        ScanShape s = in.shape();
        long[] seq = {s.batch(), s.channels(), s.length()};
        return new ScanArrays(arr(in.u(), seq), arr(in.delta(), seq), arr(in.a(), s.channels(), s.state()),
                arr(in.b(), s.bcShape()), arr(in.c(), s.bcShape()), arr(in.d(), s.channels()), arr(in.z(), seq),
                arr(in.deltaBias(), s.channels()), in.deltaSoftplus());
    }

    @Test
    void eagerForward_float_equalsFusedKernelAndHasCheckpoints() {
        ScanShape s = new ScanShape(2, 3, 300, 16, 0);
        ScanInputs in = ScanFixtures.randomFloat(s, Options.ALL, 1);
        INDArray[] outs = Nd4j.exec(new SelectiveScanOp(arrays(in), true));
        assertEquals(3, outs.length);
        assertArrayEquals(new long[]{2, 3, 300}, outs[0].shape());
        assertArrayEquals(new long[]{2, 3, 16}, outs[1].shape());
        assertArrayEquals(new long[]{2, 3, 2, 16}, outs[2].shape());
        ScanOutputs fused = FusedSelectiveScan.shared().forward(in, true);
        assertArrayEquals(fused.out(), outs[0].data().asFloat());
        assertArrayEquals(fused.lastState(), outs[1].data().asFloat());
        FusedSelectiveScanTest.assertClose("out", outs[0].data().asFloat(),
                SelectiveScanReference.forward(in, false).out());
    }

    @Test
    void eagerForward_viewInputs_sameAsDenseInputs() {
        ScanShape s = new ScanShape(2, 4, 20, 4, 0);
        ScanInputs in = ScanFixtures.randomFloat(s, Options.NONE, 2);
        ScanArrays dense = arrays(in);
        // u as a view: the transpose of a (length, channels, batch) array
        INDArray uView = dense.u().permute(2, 1, 0).dup('c').permute(2, 1, 0);
        assertTrue(!DenseArrays.isDense(uView), "u is not contiguous");
        ScanArrays viewed = new ScanArrays(uView, dense.delta(), dense.a(), dense.b(), dense.c(), null, null, null,
                false);
        INDArray a = Nd4j.exec(new SelectiveScanOp(dense, false))[0];
        INDArray b = Nd4j.exec(new SelectiveScanOp(viewed, false))[0];
        assertEquals(a, b);
    }

    @Test
    void eagerForward_reshapedAndSlicedInputs_areReadInPlace() {
        ScanShape s = new ScanShape(2, 3, 8, 4, 0);
        ScanArrays in = arrays(ScanFixtures.randomFloat(s, Options.NONE, 4));
        // a slice along the first axis (offset > 0) of a larger array is contiguous: read without a copy
        INDArray big = Nd4j.concat(0, Nd4j.rand(DataType.FLOAT, 1, 3, 8), in.u());
        INDArray slice = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all());
        assertTrue(slice.offset() > 0 && DenseArrays.isDense(slice));
        assertTrue(DenseArrays.isDense(in.u()), "reshaped arrays count as contiguous");
        ScanArrays sliced = new ScanArrays(slice, in.delta(), in.a(), in.b(), in.c(), null, null, null, false);
        assertTrue(sliced.contiguous().u() == slice, "no copy");
        assertEquals(Nd4j.exec(new SelectiveScanOp(in, false))[0], Nd4j.exec(new SelectiveScanOp(sliced, false))[0]);
    }

    /** Copies made for non-contiguous inputs must stay alive while the kernel reads them (a crash otherwise). */
    @Test
    void eagerForward_nonContiguousInputsWhileGcRuns_matchesDenseResult() throws Exception {
        ScanShape s = new ScanShape(2, 32, 256, 16, 0);
        ScanArrays dense = arrays(ScanFixtures.randomFloat(s, Options.ALL, 9));
        ScanArrays strided = new ScanArrays(dense.u().permute(2, 1, 0).dup('c').permute(2, 1, 0),
                dense.delta().permute(2, 1, 0).dup('c').permute(2, 1, 0), dense.a(), dense.b(), dense.c(), dense.d(),
                dense.z(), dense.deltaBias(), true);
        INDArray expected = Nd4j.exec(new SelectiveScanOp(dense, false))[0];
        Thread gc = new Thread(() -> {
            try {
                while (true) {
                    System.gc();
                    Thread.sleep(3);
                }
            } catch (InterruptedException e) {
                // done
            }
        });
        gc.setDaemon(true);
        gc.start();
        try {
            for (int i = 0; i < 6; i++) {
                assertEquals(expected, Nd4j.exec(new SelectiveScanOp(strided, false))[0]);
            }
        } finally {
            gc.interrupt();
            gc.join();
        }
    }

    @Test
    void eagerForward_wrongShape_failsNamingInputAndShapes() {
        ScanShape s = new ScanShape(1, 4, 6, 2, 0);
        ScanArrays ok = arrays(ScanFixtures.randomFloat(s, Options.NONE, 3));
        ScanArrays bad = new ScanArrays(ok.u(), ok.delta(), ok.a(), Nd4j.zeros(DataType.FLOAT, 1, 3, 6), ok.c(),
                null, null, null, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nd4j.exec(new SelectiveScanOp(bad, false)));
        assertTrue(e.getMessage().contains("B has shape [1, 3, 6]") && e.getMessage().contains("[1, 2, 6]"),
                e.getMessage());
        ScanArrays mixed = new ScanArrays(ok.u(), ok.delta().castTo(DataType.DOUBLE), ok.a(), ok.b(), ok.c(), null,
                null, null, false);
        e = assertThrows(IllegalArgumentException.class, () -> Nd4j.exec(new SelectiveScanOp(mixed, false)));
        assertTrue(e.getMessage().contains("delta has data type DOUBLE") && e.getMessage().contains("FLOAT"),
                e.getMessage());
    }

    /** A tiny graph: every input a variable, a non-linear loss of out and the last state. */
    private static SameDiff graph(ScanArrays in) {
        SameDiff sd = SameDiff.create();
        SDVariable u = sd.var("u", in.u());
        SDVariable delta = sd.var("delta", in.delta());
        SDVariable a = sd.var("A", in.a());
        SDVariable b = sd.var("B", in.b());
        SDVariable c = sd.var("C", in.c());
        SDVariable d = in.d() == null ? null : sd.var("D", in.d());
        SDVariable z = in.z() == null ? null : sd.var("z", in.z());
        SDVariable bias = in.deltaBias() == null ? null : sd.var("delta_bias", in.deltaBias());
        SDVariable[] outs = SelectiveScanOp.scanWithLastState(sd, "y", u, delta, a, b, c, d, z, bias,
                in.deltaSoftplus());
        SDVariable w = sd.constant("w", Nd4j.rand(in.u().dataType(), in.u().shape()).subi(0.5));
        SDVariable loss = sd.math.tanh(outs[0]).mul(w).sum().add(outs[1].mul(outs[1]).sum().mul(0.5));
        sd.updateVariableNameAndReference(loss, "loss").markAsLoss();
        return sd;
    }

    private static List<String> names(ScanArrays in) {
        List<String> names = new java.util.ArrayList<>(List.of("u", "delta", "A", "B", "C"));
        if (in.d() != null) {
            names.add("D");
        }
        if (in.z() != null) {
            names.add("z");
        }
        if (in.deltaBias() != null) {
            names.add("delta_bias");
        }
        return names;
    }

    @Test
    void graph_doubleWithEveryInputAndLastState_passesGradientCheck() {
        Nd4j.getRandom().setSeed(12);
        ScanArrays in = arrays(ScanFixtures.randomDouble(new ScanShape(2, 4, 5, 3, 2), Options.ALL, 5));
        SameDiff sd = graph(in);
        GradientCheck.Result r = GradientCheck.check(sd, Map.of(), "loss", names(in));
        assertTrue(r.passed(), r.toString());
        assertTrue(r.checked() > 100, "checked " + r.checked());
    }

    @Test
    void graph_doubleWithoutOptionalInputs_passesGradientCheck() {
        Nd4j.getRandom().setSeed(13);
        ScanArrays in = arrays(ScanFixtures.randomDouble(new ScanShape(1, 3, 7, 2, 0), Options.NONE, 6));
        SameDiff sd = graph(in);
        GradientCheck.Result r = GradientCheck.check(sd, Map.of(), "loss", names(in));
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void graph_saveAndLoad_keepsTheOpAndItsAttributes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        ScanArrays in = arrays(ScanFixtures.randomFloat(new ScanShape(1, 4, 9, 4, 2), Options.ALL, 15));
        SameDiff sd = graph(in);
        java.io.File file = dir.resolve("scan.sd").toFile();
        sd.save(file, true);
        SameDiff loaded = SameDiff.load(file, true);
        assertEquals(sd.outputSingle(Map.of(), "loss"), loaded.outputSingle(Map.of(), "loss"));
        Map<String, INDArray> g1 = sd.calculateGradients(Map.of(), names(in));
        Map<String, INDArray> g2 = loaded.calculateGradients(Map.of(), names(in));
        for (String name : names(in)) {
            assertEquals(g1.get(name), g2.get(name), name);
        }
    }

    @Test
    void graph_float_gradientsMatchReference() {
        Nd4j.getRandom().setSeed(14);
        ScanShape s = new ScanShape(2, 4, 40, 16, 1);
        ScanInputs host = ScanFixtures.randomFloat(s, Options.ALL, 7);
        ScanArrays in = arrays(host);
        SameDiff sd = SameDiff.create();
        SDVariable out = SelectiveScanOp.scan(sd, "y", sd.var("u", in.u()), sd.var("delta", in.delta()),
                sd.var("A", in.a()), sd.var("B", in.b()), sd.var("C", in.c()), sd.var("D", in.d()),
                sd.var("z", in.z()), sd.var("delta_bias", in.deltaBias()), true);
        INDArray w = Nd4j.rand(DataType.FLOAT, 2, 4, 40);
        SDVariable loss = out.mul(sd.constant("w", w)).sum();
        sd.updateVariableNameAndReference(loss, "loss").markAsLoss();
        Map<String, INDArray> grads = sd.calculateGradients(Map.of(), names(in));
        ScanGradients expected = SelectiveScanReference.backward(host, w.data().asFloat());
        FusedSelectiveScanTest.assertClose("du", grads.get("u").data().asFloat(), expected.du());
        FusedSelectiveScanTest.assertClose("ddelta", grads.get("delta").data().asFloat(), expected.ddelta());
        FusedSelectiveScanTest.assertClose("dA", grads.get("A").data().asFloat(), expected.da());
        FusedSelectiveScanTest.assertClose("dB", grads.get("B").data().asFloat(), expected.db());
        FusedSelectiveScanTest.assertClose("dC", grads.get("C").data().asFloat(), expected.dc());
        FusedSelectiveScanTest.assertClose("dD", grads.get("D").data().asFloat(), expected.dd());
        FusedSelectiveScanTest.assertClose("dz", grads.get("z").data().asFloat(), expected.dz());
        FusedSelectiveScanTest.assertClose("ddelta_bias", grads.get("delta_bias").data().asFloat(),
                expected.ddeltaBias());
    }
}
