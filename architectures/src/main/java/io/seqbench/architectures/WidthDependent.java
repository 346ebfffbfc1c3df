package io.seqbench.architectures;

/**
 * A mixer config whose validity depends on the backbone's width (e.g. attention heads must divide d_model).
 * {@link ModelConfig} calls it, so a spec with an impossible combination is rejected while it is read, before any
 * run directory or parameter exists.
 */
public interface WidthDependent {
    /**
     * @param dModel the backbone width
     * @throws IllegalArgumentException naming the field, the value and what is allowed
     */
    void checkWidth(int dModel);
}
