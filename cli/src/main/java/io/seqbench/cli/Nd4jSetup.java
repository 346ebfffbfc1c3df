package io.seqbench.cli;

import io.seqbench.kernels.op.JavaOps;

/** Prepares ND4J for SeqBench once per process: quiet start-up, headless charts, Java ops installed. */
final class Nd4jSetup {
    private static boolean done;

    private Nd4jSetup() {
    }

    static synchronized void ensure() {
        if (done) {
            return;
        }
        System.setProperty("org.nd4j.log.initialization", "false");
        System.setProperty("java.awt.headless", "true");
        JavaOps.install();
        done = true;
    }
}
