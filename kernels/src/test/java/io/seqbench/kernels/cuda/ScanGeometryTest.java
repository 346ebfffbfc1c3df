package io.seqbench.kernels.cuda;

import io.seqbench.kernels.scan.ScanShape;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanGeometryTest {

    /** An H200: 227 KiB of opt-in shared memory per block, 132 SMs, the copy engine. */
    static final ScanGeometry.Limits H200 = new ScanGeometry.Limits(232448, 132, true);
    /** An RTX 30xx (compute capability 8.6): 99 KiB per block, no copy engine. */
    static final ScanGeometry.Limits SM86 = new ScanGeometry.Limits(101376, 82, false);

    static final Path SOURCE = Path.of("src/main/cuda/selective_scan.cu");

    static final ScanShape BENCH = new ScanShape(8, 2048, 2048, 16, 0);

    @Test
    void forward_benchmarkShape_versionFive_fourUpdateWarpsOfEightStates_fourIoWarps() {
        ScanGeometry.Launch l = ScanGeometry.forward(BENCH, true, H200, ScanGeometry.ForwardVariant.v5(), true);
        // the default (AUTO) at the benchmark shape
        assertEquals(5, ScanGeometry.DEFAULT_FORWARD_VERSION);
        assertEquals(l, ScanGeometry.forward(BENCH, true, H200, ScanGeometry.ForwardVariant.AUTO, true));
        assertEquals("seqbench_scan_fwd5", l.kernel());
        assertEquals(5, l.version());
        assertEquals(2, l.lanesPerChannel());  // one thread in each of the channel group's 2 update warps
        assertEquals(8, l.statesPerLane());
        assertEquals(16, l.paddedState());
        assertEquals(64, l.channelsPerBlock());
        assertEquals(256, l.threads());
        assertEquals(32, l.gridX());
        assertEquals(8, l.gridY());
        // 2 blocks of 256 threads per SM (the kernel's __launch_bounds__) fit the H200's 228 KiB; 1 fits an sm_86
        assertTrue(2 * (l.sharedBytes() + 1024) <= 233472, "shared " + l.sharedBytes());
        assertTrue(l.sharedBytes() <= SM86.maxSharedPerBlock());
    }

    @Test
    void forward_versionFive_takesOnlyTheShapesItHandles() {
        // 9-16 states, 64k channels per group, a length a multiple of 4
        assertNull(ScanGeometry.forward5Unavailable(new ScanShape(2, 128, 100, 9, 0), true, H200, true));
        assertNull(ScanGeometry.forward5Unavailable(new ScanShape(2, 256, 164, 14, 2), true, SM86, true));
        assertTrue(ScanGeometry.forward5Unavailable(new ScanShape(2, 64, 100, 16, 2), true, H200, true)
                .contains("channels per group (32)"));
        assertTrue(ScanGeometry.forward5Unavailable(new ScanShape(2, 128, 100, 8, 0), true, H200, true)
                .contains("<= 8"));
        assertTrue(ScanGeometry.forward5Unavailable(new ScanShape(2, 128, 100, 17, 0), true, H200, true)
                .contains("> 16"));
        assertEquals("seqbench_scan_fwd5", ScanGeometry.forward(new ScanShape(2, 128, 100, 9, 0), true, H200,
                ScanGeometry.ForwardVariant.v5(), true).kernel());
        // asked for explicitly where it cannot run: refused with the reason
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScanGeometry.forward(
                new ScanShape(2, 96, 100, 16, 0), true, H200, ScanGeometry.ForwardVariant.v5(), true));
        assertTrue(e.getMessage().contains("version-5") && e.getMessage().contains("channels per group (96)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ScanGeometry.forward(
                new ScanShape(2, 128, 203, 16, 0), true, H200, ScanGeometry.ForwardVariant.v5(), true));
        assertTrue(e.getMessage().contains("length 203 not a multiple of 4"), e.getMessage());
        // an array not 16-byte aligned: refused when asked for, version 4 when chosen (it takes every such shape)
        ScanShape fits = new ScanShape(2, 128, 100, 16, 0);
        assertTrue(ScanGeometry.forward5Unavailable(fits, true, H200, false).contains("not 16-byte aligned"));
        e = assertThrows(IllegalArgumentException.class, () -> ScanGeometry.forward(fits, true, H200,
                ScanGeometry.ForwardVariant.v5(), true, false));
        assertTrue(e.getMessage().contains("version-5") && e.getMessage().contains("16-byte"), e.getMessage());
        assertEquals("seqbench_scan_fwd5", ScanGeometry.forward(fits, true, H200, ScanGeometry.ForwardVariant.AUTO,
                true, true).kernel());
        assertEquals("seqbench_scan_fwd4_w4", ScanGeometry.forward(fits, true, H200, ScanGeometry.ForwardVariant.AUTO,
                true, false).kernel());
    }

    @Test
    void forward_benchmarkShape_versionFour_oneLanePerChannel_fourWarpsOfFourStates() {
        ScanGeometry.Launch l = ScanGeometry.forward(BENCH, true, H200, ScanGeometry.ForwardVariant.v4(), true);
        assertEquals("seqbench_scan_fwd4_w4", l.kernel());
        assertEquals(4, l.version());
        assertEquals(4, l.lanesPerChannel());  // one thread in each of the 4 warps
        assertEquals(16, l.paddedState());
        assertEquals(32, l.channelsPerBlock());
        assertEquals(128, l.threads());
        assertEquals(64, l.gridX());
        assertEquals(8, l.gridY());
        // 4 blocks of 128 threads per SM (the kernel's __launch_bounds__) fit the H200's 228 KiB
        assertTrue(4 * (l.sharedBytes() + 1024) <= 233472, "shared " + l.sharedBytes());
        assertEquals(ScanGeometry.forward4SharedBytes(4, 4, true), l.sharedBytes());
    }

    @Test
    void forward_versionFour_twoWarpsUpToEightStates_elseVersionThree() {
        ScanGeometry.Launch l8 = ScanGeometry.forward(new ScanShape(2, 64, 100, 8, 0), true, H200,
                ScanGeometry.ForwardVariant.AUTO, true);
        assertEquals("seqbench_scan_fwd4_w2", l8.kernel());
        assertEquals(64, l8.threads());
        // state > 16, or channels per group not a multiple of 32: version 3
        ScanGeometry.Launch l17 = ScanGeometry.forward(new ScanShape(2, 64, 100, 17, 0), true, H200,
                ScanGeometry.ForwardVariant.AUTO, true);
        assertEquals(3, l17.version());
        ScanGeometry.Launch l48 = ScanGeometry.forward(new ScanShape(2, 48, 100, 16, 0), true, H200,
                ScanGeometry.ForwardVariant.AUTO, true);
        assertEquals("seqbench_scan_fwd3_ns4_sw0_o3", l48.kernel());
        ScanGeometry.Launch lg = ScanGeometry.forward(new ScanShape(2, 128, 100, 16, 2), false, SM86,
                ScanGeometry.ForwardVariant.v4(), true);
        assertEquals(4, lg.version());
        // AUTO: version 5 where it applies (64 channels per group, 9-16 states, length % 4 == 0), else 4
        assertEquals(5, ScanGeometry.forward(new ScanShape(2, 128, 100, 16, 2), false, SM86,
                ScanGeometry.ForwardVariant.AUTO, true).version());
        assertEquals(4, ScanGeometry.forward(new ScanShape(2, 128, 102, 16, 2), false, SM86,
                ScanGeometry.ForwardVariant.AUTO, true).version());
        assertEquals(4, ScanGeometry.forward(new ScanShape(2, 64, 100, 16, 2), false, SM86,
                ScanGeometry.ForwardVariant.AUTO, true).version());
        // asked for explicitly where it cannot run: refused with the reason
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScanGeometry.forward(
                new ScanShape(2, 48, 100, 16, 0), true, H200, ScanGeometry.ForwardVariant.v4(), true));
        assertTrue(e.getMessage().contains("channels per group (48)"), e.getMessage());
    }

    @Test
    void forward_versionThree_stillTheBenchmarkShapesFourLanesOfFourStates() {
        ScanGeometry.Launch l = ScanGeometry.forward(BENCH, true, H200, ScanGeometry.ForwardVariant.v3(0, -1, 0),
                true);
        assertEquals("seqbench_scan_fwd3_ns4_sw0_o3", l.kernel());
        assertEquals(3, l.version());
        assertEquals(4, l.lanesPerChannel());
        assertEquals(32, l.channelsPerBlock());
        assertEquals(128, l.threads());
        assertEquals(16, l.paddedState());
    }

    @Test
    void forwardStaging_defaultIsCpAsync_propertyOverrides() {
        assertFalse(ScanGeometry.DEFAULT_FORWARD_BULK);
        String before = System.getProperty(ScanGeometry.FORWARD_BULK_PROPERTY);
        try {
            System.clearProperty(ScanGeometry.FORWARD_BULK_PROPERTY);
            assertFalse(ScanGeometry.forwardBulkDefault());
            System.setProperty(ScanGeometry.FORWARD_BULK_PROPERTY, "true");
            assertTrue(ScanGeometry.forwardBulkDefault());
        } finally {
            if (before == null) {
                System.clearProperty(ScanGeometry.FORWARD_BULK_PROPERTY);
            } else {
                System.setProperty(ScanGeometry.FORWARD_BULK_PROPERTY, before);
            }
        }
    }

    @Test
    void forward3_statesPerLane_coverTheState() {
        int[][] expect = {{1, 4}, {16, 4}, {17, 8}, {32, 8}, {33, 16}, {64, 16}};
        for (int[] e : expect) {
            ScanGeometry.Launch l = ScanGeometry.forward(new ScanShape(2, 64, 100, e[0], 0), true, H200,
                    ScanGeometry.ForwardVariant.v3(0, -1, 0), true);
            assertEquals(e[1], l.statesPerLane(), "state " + e[0]);
            assertEquals(4, l.lanesPerChannel());
        }
        assertThrows(IllegalArgumentException.class, () -> ScanGeometry.forward(new ScanShape(2, 64, 100, 17, 0),
                true, H200, ScanGeometry.ForwardVariant.v3(4, 0, 0), true));
    }

    @Test
    void forward_versionThree_largerStates_withoutCodeVariant() {
        assertEquals("seqbench_scan_fwd3_ns8_sw0", ScanGeometry.forward(new ScanShape(2, 64, 100, 17, 0), true,
                H200, ScanGeometry.ForwardVariant.AUTO, true).kernel());
        assertEquals("seqbench_scan_fwd3_ns16_sw0", ScanGeometry.forward(new ScanShape(2, 64, 100, 64, 0), true,
                H200, ScanGeometry.ForwardVariant.AUTO, true).kernel());
    }

    @Test
    void backward_default_isVersionFour_twoBlocksPerSm() {
        assertEquals(ScanGeometry.BACKWARD_V4, ScanGeometry.DEFAULT_BACKWARD);
        ScanGeometry.Launch l = ScanGeometry.backward(BENCH, true, H200);
        assertEquals("seqbench_scan_bwd4", l.kernel());
        assertEquals(4, l.version());
        assertEquals(128, l.threads());
        assertEquals(64, l.gridX());
        assertEquals(ScanGeometry.backward4SharedBytes(8, 4, true), l.sharedBytes());
        assertTrue(2L * (l.sharedBytes() + 1024) <= 233472, "two blocks must fit in 228 KiB: " + l.sharedBytes());
    }

    @Test
    void backward_versionFour_elseVersionOne() {
        // channels per group not a multiple of 32, or state > 16: version 1
        assertEquals("seqbench_scan_bwd_ns4",
                ScanGeometry.backward(new ScanShape(2, 48, 100, 16, 0), true, H200).kernel());
        assertEquals("seqbench_scan_bwd_ns16",
                ScanGeometry.backward(new ScanShape(2, 64, 100, 17, 0), true, H200).kernel());
        assertEquals("seqbench_scan_bwd4",
                ScanGeometry.backward(new ScanShape(2, 128, 100, 5, 2), false, SM86).kernel());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScanGeometry.backward(
                new ScanShape(2, 48, 100, 16, 0), true, H200, ScanGeometry.BACKWARD_V4, true));
        assertTrue(e.getMessage().contains("channels per group (48)"), e.getMessage());
    }

    @Test
    void backward_versionOne_fitsTwoBlocksPerSm() {
        ScanGeometry.Launch l = ScanGeometry.backward(BENCH, true, H200, 4, true);
        assertEquals("seqbench_scan_bwd_ns4", l.kernel());
        assertEquals(1, l.version());
        assertEquals(128, l.threads());
        assertTrue(2L * l.sharedBytes() <= 233472, "two blocks must fit in 228 KiB: " + l.sharedBytes());
    }

    @Test
    void workMemory_coversEveryBackwardChoice() {
        long max = ScanKernels.maxBcPartialFloats(BENCH, true, H200);
        for (int choice : ScanGeometry.BACKWARD_CHOICES) {
            assertTrue(ScanGeometry.bcPartialFloats(BENCH, ScanGeometry.backward(BENCH, true, H200, choice, true))
                    <= max);
        }
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
                    // version 5's blocks are 256 threads (4 update and 4 I/O warps); the others at most 128
                    assertTrue(l.version() == 5 ? l.threads() == 256 : l.threads() <= ScanGeometry.MAX_THREADS, l.toString());
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
        ScanGeometry.ForwardVariant v = ScanGeometry.ForwardVariant.v3(4, 1, 0);
        assertEquals(1, ScanGeometry.forward(s, true, H200, v, true).expOnFma());
        assertEquals("seqbench_scan_fwd3_ns4_sw1", ScanGeometry.forward(s, true, H200, v, true).kernel());
        assertEquals(0, ScanGeometry.forward(s, true, H200, v, false).expOnFma());
        assertEquals("seqbench_scan_fwd3_ns4_sw0_o3", ScanGeometry.forward(s, true, H200, v, false).kernel());
    }

    @Test
    void unknownVariant_rejected() {
        assertThrows(IllegalArgumentException.class, () -> ScanGeometry.ForwardVariant.v3(3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ScanGeometry.ForwardVariant.v3(2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ScanGeometry.ForwardVariant.v3(4, 0, 24));
        assertThrows(IllegalArgumentException.class, () -> new ScanGeometry.ForwardVariant(6, 4, 0, 0));
        // versions 1 and 2 were removed
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScanGeometry.ForwardVariant(1, 4, 0, 32));
        assertTrue(e.getMessage().contains("removed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScanGeometry.ForwardVariant(2, 16, 0, 32));
        assertThrows(IllegalArgumentException.class, () -> CudaScanBenchmark.parseVariant("ns4/fma0/ct32"));
        assertEquals(ScanGeometry.ForwardVariant.v3(4, 0, 32), CudaScanBenchmark.parseVariant("v3/ns4/fma0/ct32"));
        ScanShape s = new ScanShape(2, 64, 64, 16, 0);
        assertThrows(IllegalArgumentException.class, () -> ScanGeometry.forward(s, true, H200,
                ScanGeometry.ForwardVariant.v3(8, 1, 0), true));
        assertThrows(IllegalArgumentException.class, () -> ScanGeometry.backward(s, true, H200, 3, true));
        assertThrows(IllegalArgumentException.class, () -> ScanGeometry.backward(s, true, H200, 2, true));
    }

    @Test
    void sixteenByteStaging_needsLengthMultipleOfFourAndAlignedAddresses() {
        assertTrue(ScanKernels.vec4(2048, 256, 512, 0));
        assertFalse(ScanKernels.vec4(2047, 256, 512));
        assertFalse(ScanKernels.vec4(2048, 256, 520));
        assertTrue(ScanKernels.aligned16(256, 512, 0));
        assertFalse(ScanKernels.aligned16(256, 520));
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
        assertTrue(src.contains("return 4 * (2 * fwd2_buffer_floats(CT, Npad, hasZ) + 2LL * CT * TS) + 16;"));
        assertTrue(src.contains("return (long long)((2 + hasZ) * 32 + 2 * NSW * W) * TS;"));
        assertTrue(src.contains("return (long long)((3 + hasZ) * 32 + 2 * 16) * TS;"));
        assertTrue(src.contains("return 4 * (2 * bwd4_buffer_floats(hasZ) + 32LL * (16 / NSW) * (bwd4_xs(SUB, NSW) + bwd4_ys(SUB)));"));
        assertTrue(src.contains("constexpr int bwd4_xs(int SUB, int NSW = 4) { return 2 * NSW * SUB + 4; }"));
        assertTrue(src.contains("constexpr int bwd4_ys(int SUB) { return 3 * SUB + (SUB == 4 ? 8 : 4); }"));
        assertTrue(src.contains("return 4 * (2 * fwd4_buffer_floats<W, NSW>(hasZ) + (long long)W * 32 * fwd4_partial_stride(NSW));"));
        // version 5: 3 stage slots of 160 rows (u 64, delta 64, B 16, C 16) and 2 partial tiles of 128 rows
        assertTrue(src.contains("constexpr int NB5 = 3;") && src.contains("constexpr int CH5 = 64;"));
        assertTrue(src.contains("return 4LL * (NB5 * (2 * CH5 + 32) * TC + 2 * 128 * TC);"));
        assertEquals(4L * (3 * (2 * 64 + 32) * ScanGeometry.CHUNK + 2 * 128 * ScanGeometry.CHUNK),
                ScanGeometry.FORWARD5_SHARED_BYTES);
    }

    @Test
    void everyKernelTheGeometryNames_isCompiled() throws IOException {
        String src = Files.readString(SOURCE);
        for (int ns : ScanGeometry.BACKWARD_KERNELS) {
            String name = "seqbench_scan_bwd_ns" + ns;
            assertTrue(src.contains("SEQBENCH_BWD(" + name + ", " + ns + ")"), name);
        }
        for (int[] k : ScanGeometry.FORWARD3_KERNELS) {
            // the name the geometry gives this kernel, and the code variant it is compiled with
            String name = ScanGeometry.forward(new ScanShape(1, 32, 64, 4 * k[0], 0), true, H200,
                    ScanGeometry.ForwardVariant.v3(k[0], k[1], 0), true).kernel();
            int opt = k[0] == 4 && k[1] == 0 ? 3 : 0;
            assertTrue(src.contains("SEQBENCH_FWD3(" + name + ", " + k[0] + ", " + k[1] + ", " + opt + ")"), name);
        }
        // exactly these forward entry points: version 3's four and version 4's two
        assertEquals(ScanGeometry.FORWARD3_KERNELS.length + ScanGeometry.FORWARD4_KERNELS.length,
                Pattern.compile("^SEQBENCH_FWD[34]\\(", Pattern.MULTILINE).matcher(src).results().count());
        for (int w : ScanGeometry.FORWARD4_KERNELS) {
            assertTrue(src.contains("SEQBENCH_FWD4(seqbench_scan_fwd4_w" + w + ", " + w + ", 4, "), "fwd4 w" + w);
        }
        assertTrue(src.contains("SEQBENCH_BWD4(seqbench_scan_bwd4, 8, 4, 2)"));
        assertTrue(src.contains("extern \"C\" __global__ void __launch_bounds__(256, 2) seqbench_scan_fwd5("));
        assertFalse(src.contains("seqbench_scan_bwd2_ns16("));
        assertFalse(src.contains("seqbench_scan_fwd_ns"));
        assertFalse(src.contains("seqbench_scan_fwd2_ns"));
        assertTrue(src.contains("void seqbench_scan_bwd_reduce("));
        assertTrue(src.contains("void seqbench_fill_uniform("));
    }

    private static int constant(String src, String name) {
        Matcher m = Pattern.compile("constexpr int " + name + " = (\\d+);").matcher(src);
        assertTrue(m.find(), name);
        return Integer.parseInt(m.group(1));
    }
}
