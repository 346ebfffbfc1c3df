/**
 * JMH microbenchmarks of SeqBench's kernels; see docs/benchmarks/ for how to run them and the recorded results.
 */
package io.seqbench.benchmarks;
