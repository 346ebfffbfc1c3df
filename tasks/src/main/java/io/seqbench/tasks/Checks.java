package io.seqbench.tasks;

/**
 * Argument checks for task configs. Messages start with the spec's snake_case field name, so the harness can
 * prefix the section ({@code task.}) and the user sees which key is wrong and what is allowed.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * Throws {@code IllegalArgumentException("field: rule, got value")} unless {@code ok}.
     *
     * @param ok    the condition that must hold
     * @param field the snake_case spec key, e.g. {@code data_tokens}
     * @param rule  what is allowed, e.g. {@code "must be ≥ 2"}
     * @param value the offending value
     */
    public static void require(boolean ok, String field, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": " + rule + ", got " + value);
        }
    }

    /** Throws {@code IllegalArgumentException("field: message")} unless {@code ok}. */
    public static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": " + message);
        }
    }
}
