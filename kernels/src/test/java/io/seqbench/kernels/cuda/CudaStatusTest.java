package io.seqbench.kernels.cuda;

import io.seqbench.kernels.scan.ScanInputs;
import io.seqbench.kernels.scan.ScanShape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class CudaStatusTest {

    @Test
    void probe_neverThrows_andExplains() {
        CudaStatus s = CudaStatus.probe();
        assertNotNull(s.kind());
        assertFalse(s.message().isBlank());
        assertEquals(s, CudaStatus.probe());
    }

    @Test
    void notBuiltImage_isReportedAsNotBuilt() {
        if (!KernelImage.isBuilt()) {
            assertEquals(CudaStatus.Kind.NOT_BUILT, CudaStatus.probe().kind());
            assertFalse(CudaStatus.probe().message().indexOf("not built") < 0);
        }
    }

    @Test
    void hostApi_withoutGpu_throwsUnavailableWithTheReason() {
        assumeFalse(CudaStatus.probe().available(), "a usable GPU is present");
        ScanShape shape = new ScanShape(1, 2, 3, 2, 0);
        ScanInputs in = new ScanInputs(shape, new float[6], new float[6], new float[]{-1, -2, -1, -2},
                new float[6], new float[6], null, null, null, false);
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
                () -> CudaSelectiveScan.forward(in, false));
        assertEquals(CudaStatus.probe(), e.status());
    }
}
