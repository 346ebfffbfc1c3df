package io.seqbench.harness.spec;

import io.seqbench.architectures.ModelConfig;

import java.util.Objects;

/**
 * A complete, validated experiment: what to train, on what, how, and with which seed. Every field has a value
 * (defaults filled in); {@link SpecWriter} writes it back as the resolved {@code spec.yaml} of a run.
 *
 * @param name  a label for the run (letters, digits, '-', '_', '.'); defaults to "&lt;model&gt;-&lt;task&gt;"
 * @param seed  the one seed everything is derived from (parameters, data order)
 * @param model the model section
 * @param task  the task section
 * @param train the train section
 * @param eval  the eval section
 */
public record Spec(String name, long seed, ModelConfig model, TaskSpec task, TrainConfig train, EvalConfig eval)
        implements RunSpec {
    public static final String TRAIN = "train";

    public Spec {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9._-]{1,80}")) {
            throw new IllegalArgumentException("name: must be 1-80 letters, digits, '.', '_' or '-', got '"
                    + name + "'");
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(eval, "eval");
    }

    @Override
    public String kind() {
        return TRAIN;
    }

    @Override
    public int threads() {
        return train.threads();
    }
}
