package io.seqbench.architectures.mamba;

import io.seqbench.architectures.Backbone;
import io.seqbench.architectures.ModelConfig;
import io.seqbench.architectures.NormKind;
import io.seqbench.kernels.op.JavaOps;
import io.seqbench.kernels.scan.SelectiveScanOp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MambaMixerTest {

    @BeforeAll
    static void install() {
        JavaOps.install();
    }

    static Backbone model(MambaMixer.Config config, int dModel, int layers) {
        return new Backbone(new ModelConfig(MambaMixer.TYPE, dModel, layers, NormKind.RMSNORM, 0, config), 16, 32, 1,
                DataType.FLOAT);
    }

    @Test
    void graph_runsTheFusedScanOncePerLayer() {
        SameDiff sd = model(MambaMixer.Config.DEFAULTS, 32, 2).graph(2, 16).sameDiff();
        long scans = sd.getOps().values().stream()
                .filter(op -> op.getOp() instanceof SelectiveScanOp).count();
        assertEquals(2, scans, "one fused selective-scan op per block");
        assertTrue(sd.getOps().values().stream().noneMatch(op -> op.getOp().opName().contains("composite")));
    }

    @Test
    void initialisation_deltaInRangeAndS4DRealA() {
        MambaMixer.Config c = MambaMixer.Config.DEFAULTS;
        Backbone m = model(c, 64, 1);
        INDArray bias = m.parameters().get("layers.0.mixer.dt_bias");
        for (int i = 0; i < bias.length(); i++) {
            double delta = Math.log1p(Math.exp(bias.getDouble(i)));      // softplus
            assertTrue(delta >= c.dtMin() * 0.999 && delta <= c.dtMax() * 1.001, "Δ₀ = " + delta);
        }
        INDArray aLog = m.parameters().get("layers.0.mixer.a_log");
        for (int n = 0; n < c.state(); n++) {
            assertEquals(-(n + 1), -Math.exp(aLog.getDouble(5, n)), 1e-5, "A_n = −(n+1)");
        }
    }

    @Test
    void sizes_matchTheFormulas() {
        int d = 64;
        MambaMixer.Config c = MambaMixer.Config.DEFAULTS;
        Backbone m = model(c, d, 2);
        int e = c.expand() * d;
        int n = c.state();
        int r = (d + 15) / 16;
        int k = c.convKernel();
        long expected = (long) d * 2 * e + (long) k * e + e + (long) e * (r + 2 * n) + (long) r * e + e
                + (long) e * n + e + (long) e * d;
        assertEquals(expected, m.parameters().count("layers.0.mixer."));
        assertEquals(2L * ((long) e * n + (long) e * (k - 1)), m.stateSize(16384), "constant state: h and the conv window");
        assertEquals(m.stateSize(1024), m.stateSize(16384));
    }

    @Test
    void config_badValue_namesTheField() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new MambaMixer.Config(16, 2, 4, 0, 0.1, 0.01, true, true));
        assertTrue(e.getMessage().startsWith("dt_max: must be ≥ dt_min"), e.getMessage());
    }
}
