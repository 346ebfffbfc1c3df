/**
 * The Task API: tasks are pure functions of (config, seed) that yield {@link io.seqbench.tasks.Batch}es of
 * inputs, targets and loss masks; {@link io.seqbench.tasks.Tasks} is the registry keyed by the spec's
 * {@code task.type}. This module does not depend on ND4J.
 */
package io.seqbench.tasks;
