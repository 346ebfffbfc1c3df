package io.seqbench.kernels.op;

/**
 * Thrown when a {@link JavaOp} is created while ND4J runs with an op executioner that cannot execute Java ops.
 * Without this check the op would reach libnd4j, which crashes the JVM on an unknown op.
 */
public final class JavaOpsNotInstalledException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    JavaOpsNotInstalledException(String message) {
        super(message);
    }
}
