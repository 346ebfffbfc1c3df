/**
 * Benchmarks of the selective scan: the fused CPU kernel against the composite ND4J baseline and the reference
 * (time per call, ns per state update), and a fresh-JVM probe of each implementation's peak extra memory. How
 * to run and the recorded results: docs/benchmarks/scan-cpu.md.
 */
package io.seqbench.benchmarks.scan;
