/**
 * Java-implemented custom ops inside SameDiff (ND4J 1.0.0-M2.1).
 *
 * <p>M2.1 has no supported way to add an op written in Java: SameDiff executes every custom op in libnd4j by
 * its hash, and an unknown op crashes the JVM. This package adds the smallest mechanism that works:
 * <ol>
 *   <li>{@link io.seqbench.kernels.op.JavaOp}, a {@code DynamicCustomOp} that computes its output shapes and
 *       data types in Java and reports no native descriptor;</li>
 *   <li>{@link io.seqbench.kernels.op.JavaOps}, which registers every Java op by name (SameDiff clones graphs
 *       through FlatBuffers and looks classes up by op name) and installs</li>
 *   <li>{@link io.seqbench.kernels.op.JavaOpExecutioner}, which runs Java ops in Java and everything else in
 *       libnd4j.</li>
 * </ol>
 * The same mechanism repairs built-in ops whose gradients are wrong in M2.1 (gather, gru): the repaired op is a
 * Java op with its own backward.
 */
package io.seqbench.kernels.op;
