package io.seqbench.harness.suite;

import io.seqbench.harness.spec.RunSpec;
import io.seqbench.harness.spec.SpecWriter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a run's resolved spec: SHA-256 of its resolved YAML, exactly as written to {@code spec.yaml}.
 * Two runs with the same hash ran the same experiment (defaults included, as the code then resolved them).
 */
public final class SpecHash {
    private SpecHash() {
    }

    public static String of(RunSpec spec) {
        return ofText(SpecWriter.toYaml(spec));
    }

    public static String ofText(String resolvedYaml) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(resolvedYaml.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
