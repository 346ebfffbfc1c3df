package io.seqbench.cli;

import picocli.CommandLine;

/** The version line of {@code seqbench --version}. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = SeqBench.class.getPackage().getImplementationVersion();
        return new String[]{"seqbench " + (v == null ? "(development build)" : v)
                + " on Java " + System.getProperty("java.version")};
    }
}
