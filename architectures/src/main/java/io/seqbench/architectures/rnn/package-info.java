/** Recurrent mixers: LSTM on ND4J's lstmLayer, GRU as a Java op with its own backward. */
package io.seqbench.architectures.rnn;
