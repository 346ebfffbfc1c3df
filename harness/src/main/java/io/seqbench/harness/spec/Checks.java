package io.seqbench.harness.spec;

/** Argument checks whose messages start with the spec field they are about. */
final class Checks {
    private Checks() {
    }

    static void require(boolean ok, String field, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": " + rule + ", got " + value);
        }
    }
}
