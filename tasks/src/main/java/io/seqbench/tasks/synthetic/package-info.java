/** Synthetic tasks that separate sequence-model families: copying, selective copying, induction heads, MQAR. */
package io.seqbench.tasks.synthetic;
