package io.seqbench.harness.spec;

/**
 * A spec that cannot be used: the message names the field (as a dotted path such as {@code model.d_model}) and
 * what is allowed. Thrown before any work starts.
 */
public final class SpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpecException(String message) {
        super(message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
