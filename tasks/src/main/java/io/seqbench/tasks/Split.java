package io.seqbench.tasks;

/**
 * Which stream of examples a batch comes from. Training and evaluation batches are drawn from disjoint seed
 * streams, so no evaluation example is ever a training example by construction of the seeds.
 */
public enum Split {
    TRAIN,
    VALIDATION;
}
