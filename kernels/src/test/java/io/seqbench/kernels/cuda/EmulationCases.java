package io.seqbench.kernels.cuda;

import io.seqbench.kernels.scan.ScanGradients;
import io.seqbench.kernels.scan.ScanInputs;
import io.seqbench.kernels.scan.ScanOutputs;
import io.seqbench.kernels.scan.ScanShape;
import io.seqbench.kernels.scan.SelectiveScanReference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the verification cases with the CPU reference's results as .npy files, for the CPU emulation of the
 * CUDA kernels ({@code kernels/src/test/cuda/emulate.sh}). Usage: {@code EmulationCases DIR}.
 */
public final class EmulationCases {

    private EmulationCases() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "target/emulation");
        List<ScanCase> cases = CudaScanVerification.cases();
        for (int i = 0; i < cases.size(); i++) {
            ScanCase sc = cases.get(i);
            long seed = 20251128L + i;
            Path dir = root.resolve(i + "-" + sc.name());
            Files.createDirectories(dir);
            ScanInputs in = sc.inputs(seed);
            float[] dout = sc.dout(seed);
            float[] dLast = sc.dLast(seed);
            ScanOutputs o = SelectiveScanReference.forward(in, true);
            ScanGradients g = SelectiveScanReference.backward(in, dout, dLast);
            ScanShape s = sc.shape();
            long[] seq = {s.batch(), s.channels(), s.length()};
            long[] bc = s.bcShape();
            long[] a = {s.channels(), s.state()};
            long[] ch = {s.channels()};
            long[] st = {s.batch(), s.channels(), s.state()};
            CudaScanVerification.writeNpy(dir.resolve("u.npy"), in.u(), seq);
            CudaScanVerification.writeNpy(dir.resolve("delta.npy"), in.delta(), seq);
            CudaScanVerification.writeNpy(dir.resolve("A.npy"), in.a(), a);
            CudaScanVerification.writeNpy(dir.resolve("B.npy"), in.b(), bc);
            CudaScanVerification.writeNpy(dir.resolve("C.npy"), in.c(), bc);
            CudaScanVerification.writeNpy(dir.resolve("dout.npy"), dout, seq);
            if (in.d() != null) {
                CudaScanVerification.writeNpy(dir.resolve("D.npy"), in.d(), ch);
                CudaScanVerification.writeNpy(dir.resolve("ref_dD.npy"), g.dd(), ch);
            }
            if (in.z() != null) {
                CudaScanVerification.writeNpy(dir.resolve("z.npy"), in.z(), seq);
                CudaScanVerification.writeNpy(dir.resolve("ref_dz.npy"), g.dz(), seq);
            }
            if (in.deltaBias() != null) {
                CudaScanVerification.writeNpy(dir.resolve("delta_bias.npy"), in.deltaBias(), ch);
                CudaScanVerification.writeNpy(dir.resolve("ref_ddelta_bias.npy"), g.ddeltaBias(), ch);
            }
            if (dLast != null) {
                CudaScanVerification.writeNpy(dir.resolve("dlast.npy"), dLast, st);
            }
            CudaScanVerification.writeNpy(dir.resolve("ref_out.npy"), o.out(), seq);
            CudaScanVerification.writeNpy(dir.resolve("ref_last_state.npy"), o.lastState(), st);
            CudaScanVerification.writeNpy(dir.resolve("ref_du.npy"), g.du(), seq);
            CudaScanVerification.writeNpy(dir.resolve("ref_ddelta.npy"), g.ddelta(), seq);
            CudaScanVerification.writeNpy(dir.resolve("ref_dA.npy"), g.da(), a);
            CudaScanVerification.writeNpy(dir.resolve("ref_dB.npy"), g.db(), bc);
            CudaScanVerification.writeNpy(dir.resolve("ref_dC.npy"), g.dc(), bc);
            Files.writeString(dir.resolve("case.txt"), "batch=" + s.batch() + "\nchannels=" + s.channels()
                    + "\nlength=" + s.length() + "\nstate=" + s.state() + "\ngroups=" + s.groups() + "\nsoftplus="
                    + sc.softplus() + "\nD=" + sc.hasD() + "\nz=" + sc.hasZ() + "\ndelta_bias=" + sc.hasBias()
                    + "\nd_last_state=" + sc.withDLast() + "\n");
            System.out.println(dir);
        }
    }
}
