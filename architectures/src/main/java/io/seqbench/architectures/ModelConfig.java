package io.seqbench.architectures;

import java.util.Objects;

/**
 * The whole model's configuration: the backbone's options shared by every family, plus the family's own
 * mixer record. In a spec file this is the {@code model} section.
 *
 * @param type     registry key of the architecture ({@code model.type})
 * @param dModel   width of the residual stream ({@code d_model}, ≥ 1)
 * @param layers   number of blocks (≥ 1)
 * @param norm     normalisation before each mixer and MLP and after the last block
 * @param mlpRatio hidden width of the per-block MLP as a multiple of d_model; 0 means no MLP
 * @param mixer    the family's mixer config (the record registered for {@code type})
 */
public record ModelConfig(String type, int dModel, int layers, NormKind norm, int mlpRatio, Record mixer) {
    public ModelConfig {
        Objects.requireNonNull(type, "type");
        if (dModel < 1) {
            throw new IllegalArgumentException("d_model: must be ≥ 1, got " + dModel);
        }
        if (layers < 1) {
            throw new IllegalArgumentException("layers: must be ≥ 1, got " + layers);
        }
        Objects.requireNonNull(norm, "norm");
        if (mlpRatio < 0) {
            throw new IllegalArgumentException("mlp_ratio: must be ≥ 0 (0 = no MLP), got " + mlpRatio);
        }
        Objects.requireNonNull(mixer, "mixer");
    }

    /** The defaults of the backbone options for an architecture, with its default mixer config. */
    public static ModelConfig defaults(ArchitectureType<?> type) {
        return new ModelConfig(type.key(), 64, 2, NormKind.LAYERNORM, 0, type.defaults());
    }
}
