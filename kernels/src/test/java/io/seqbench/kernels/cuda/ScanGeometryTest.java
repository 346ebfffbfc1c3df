package io.seqbench.kernels.cuda;

import io.seqbench.kernels.scan.ScanShape;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanGeometryTest {

    /** An H200: 227 KiB of opt-in shared memory per block, 132 SMs. */
    static final ScanGeometry.Limits H200 = new ScanGeometry.Limits(232448, 132);
    /** An RTX 30xx (compute capability 8.6): 99 KiB per block. */
    static final ScanGeometry.Limits SM86 = new ScanGeometry.Limits(101376, 82);

    static final Path SOURCE = Path.of("src/main/cuda/selective_scan.cu");

    @Test
    void forward_benchmarkShape_fourLanesOfFourStatesPerChannel() {
        ScanGeometry.Launch l = ScanGeometry.forward(new ScanShape(8, 2048, 2048, 16, 0), true, H200,
                ScanGeometry.ForwardVariant.AUTO, true);
        assertEquals("seqbench_scan_fwd_ns4_sw0", l.kernel());
        assertEquals(4, l.lanesPerChannel());
        assertEquals(32, l.channelsPerBlock());
        assertEquals(128, l.threads());
        assertEquals(64, l.gridX());
        assertEquals(8, l.gridY());
        assertEquals(16, l.paddedState());
    }

    @Test
    void backward_benchmarkShape_fitsTwoBlocksPerSm() {
        ScanGeometry.Launch l = ScanGeometry.backward(new ScanShape(8, 2048, 2048, 16, 0), true, H200);
        assertEquals("seqbench_scan_bwd_ns4", l.kernel());
        assertEquals(128, l.threads());
        assertTrue(2L * l.sharedBytes() <= 233472, "two blocks must fit in 228 KiB: " + l.sharedBytes());
    }

    @Test
    void tiles_neverStraddleGroups_andDivideTheChannels() {
        for (int channels : new int[]{7, 40, 96, 130, 2048}) {
            for (int groups : new int[]{0, 1, 2, 5, 7}) {
                if (groups > 0 && channels % groups != 0) {
                    continue;
                }
                ScanShape s = new ScanShape(2, channels, 100, 16, groups);
                int perGroup = channels / s.effectiveGroups();
                for (ScanGeometry.Launch l : new ScanGeometry.Launch[]{
                        ScanGeometry.forward(s, true, H200, ScanGeometry.ForwardVariant.AUTO, false),
                        ScanGeometry.backward(s, true, H200)}) {
                    assertEquals(0, perGroup % l.channelsPerBlock(), l + " for " + s);
                    assertEquals(channels, l.gridX() * l.channelsPerBlock());
                    assertTrue(l.threads() <= ScanGeometry.MAX_THREADS);
                }
            }
        }
    }

    @Test
    void everyStateSize_fitsSharedMemory_onHopperAndAmpere() {
        for (int n = 1; n <= ScanGeometry.MAX_STATE; n++) {
            ScanShape s = new ScanShape(2, 256, 300, n, 0);
            for (ScanGeometry.Limits lim : new ScanGeometry.Limits[]{H200, SM86}) {
                ScanGeometry.Launch f = ScanGeometry.forward(s, true, lim, ScanGeometry.ForwardVariant.AUTO, true);
                ScanGeometry.Launch b = ScanGeometry.backward(s, true, lim);
                assertTrue(f.sharedBytes() <= lim.maxSharedPerBlock(), "forward n=" + n);
                assertTrue(b.sharedBytes() <= lim.maxSharedPerBlock(), "backward n=" + n);
                assertTrue(f.paddedState() >= n && b.paddedState() >= n);
            }
        }
    }

    @Test
    void stateAboveLimit_rejectedNamingTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScanGeometry.validate(new ScanShape(1, 4, 10, 65, 0)));
        assertTrue(e.getMessage().contains("state is 65") && e.getMessage().contains("1..64"), e.getMessage());
    }

    @Test
    void batchAboveGridLimit_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScanGeometry.validate(new ScanShape(70000, 1, 1, 1, 0)));
        assertTrue(e.getMessage().contains("batch is 70000"), e.getMessage());
    }

    @Test
    void tooLittleSharedMemory_explains() {
        ScanGeometry.Limits tiny = new ScanGeometry.Limits(4096, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScanGeometry.backward(new ScanShape(1, 8, 100, 64, 0), true, tiny));
        assertTrue(e.getMessage().contains("shared memory"), e.getMessage());
    }

    @Test
    void polynomialExp_onlyWhenAllowed() {
        ScanShape s = new ScanShape(2, 64, 64, 16, 0);
        ScanGeometry.ForwardVariant v = new ScanGeometry.ForwardVariant(4, 1, 0);
        assertEquals(1, ScanGeometry.forward(s, true, H200, v, true).expOnFma());
        assertEquals(0, ScanGeometry.forward(s, true, H200, v, false).expOnFma());
        assertEquals("seqbench_scan_fwd_ns4_sw0", ScanGeometry.forward(s, true, H200, v, false).kernel());
    }

    @Test
    void unknownVariant_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new ScanGeometry.ForwardVariant(3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ScanGeometry.ForwardVariant(4, 0, 24));
        ScanShape s = new ScanShape(2, 64, 64, 16, 0);
        assertThrows(IllegalArgumentException.class, () -> ScanGeometry.forward(s, true, H200,
                new ScanGeometry.ForwardVariant(2, 1, 0), true));
        assertThrows(IllegalArgumentException.class, () -> ScanGeometry.backward(s, true, H200, 2));
    }

    @Test
    void sixteenByteStaging_needsLengthMultipleOfFourAndAlignedAddresses() {
        assertTrue(ScanKernels.vec4(2048, 256, 512, 0));
        assertFalse(ScanKernels.vec4(2047, 256, 512));
        assertFalse(ScanKernels.vec4(2048, 256, 520));
    }

    @Test
    void constants_matchTheCudaSource() throws IOException {
        String src = Files.readString(SOURCE);
        assertEquals(ScanGeometry.CHUNK, constant(src, "TC"));
        assertEquals(ScanGeometry.TILE_STRIDE, ScanGeometry.CHUNK + 4);
        assertTrue(src.contains("constexpr int TS = TC + 4;"));
        assertTrue(src.contains("constexpr int RS = 2 * TC + 4;"));
        assertTrue(src.contains("return P > 1 ? 3 * TC + 4 : RS;"));
        assertEquals(3 * ScanGeometry.CHUNK + 4, ScanGeometry.regionStride(2));
        assertEquals(2 * ScanGeometry.CHUNK + 4, ScanGeometry.regionStride(1));
    }

    @Test
    void everyKernelTheGeometryNames_isCompiled() throws IOException {
        String src = Files.readString(SOURCE);
        for (int[] k : ScanGeometry.FORWARD_KERNELS) {
            String name = "seqbench_scan_fwd_ns" + k[0] + "_sw" + k[1];
            assertTrue(src.contains("SEQBENCH_FWD(" + name + ", " + k[0] + ", " + k[1] + ")"), name);
        }
        for (int ns : ScanGeometry.BACKWARD_KERNELS) {
            String name = "seqbench_scan_bwd_ns" + ns;
            assertTrue(src.contains("SEQBENCH_BWD(" + name + ", " + ns + ")"), name);
        }
        assertTrue(src.contains("void seqbench_scan_bwd_reduce("));
        assertTrue(src.contains("void seqbench_fill_uniform("));
    }

    private static int constant(String src, String name) {
        Matcher m = Pattern.compile("constexpr int " + name + " = (\\d+);").matcher(src);
        assertTrue(m.find(), name);
        return Integer.parseInt(m.group(1));
    }
}
