package io.seqbench.kernels.op;

import io.seqbench.kernels.embedding.EmbeddingOp;
import org.junit.jupiter.api.Test;
import org.nd4j.imports.converters.ImportClassMapping;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JavaOpsTest {

    @Test
    void install_registersEveryOpByName() {
        JavaOps.install();
        assertTrue(JavaOps.isInstalled());
        for (var factory : JavaOps.OPS) {
            JavaOp op = factory.get();
            assertSame(op.getClass(), ImportClassMapping.getOpNameMapping().get(op.opName()).getClass(),
                    op.opName());
        }
    }

    @Test
    void constructingAnOp_withForeignExecutioner_throwsInsteadOfCrashing() throws Exception {
        JavaOps.install();
        OpExecutioner ours = Nd4j.getExecutioner();
        setExecutioner(new NativeOpExecutioner());
        try {
            var table = Nd4j.zeros(DataType.FLOAT, 3, 2);
            var ids = Nd4j.createFromArray(1, 2);
            JavaOpsNotInstalledException e = assertThrows(JavaOpsNotInstalledException.class,
                    () -> new EmbeddingOp(table, ids));
            assertTrue(e.getMessage().contains("JavaOps.install()"), e.getMessage());
            // install() repairs it even after ND4J was initialised with another executioner
            JavaOps.install();
            assertInstanceOf(JavaOpExecutioner.class, Nd4j.getExecutioner());
            Nd4j.exec(new EmbeddingOp(table, ids));
        } finally {
            setExecutioner(ours);
        }
    }

    private static void setExecutioner(OpExecutioner executioner) throws ReflectiveOperationException {
        Field field = Nd4j.class.getDeclaredField("OP_EXECUTIONER_INSTANCE");
        field.setAccessible(true);
        field.set(null, executioner);
    }
}
