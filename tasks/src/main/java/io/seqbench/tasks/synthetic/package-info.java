/**
 * Synthetic tasks that separate sequence-model families: copying (memory over a fixed delay), selective copying
 * (content-based selection; Mamba), induction heads (in-context recall of one key; Mamba) and multi-query
 * associative recall (many keys; Zoology). Each is a pure function of (config, seed, split, step), can be posed at
 * lengths other than its training length, and reports its chance accuracy.
 */
package io.seqbench.tasks.synthetic;
