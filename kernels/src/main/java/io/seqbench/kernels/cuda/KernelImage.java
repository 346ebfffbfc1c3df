package io.seqbench.kernels.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The compiled kernels: a fat binary that the Maven build makes with nvcc (machine code for compute capability
 * 8.0, 8.6, 8.9 and 9.0 plus PTX for 9.0) and packages as a class-path resource.
 */
public final class KernelImage {

    /** Class-path location of the fat binary. */
    public static final String RESOURCE = "/io/seqbench/kernels/cuda/selective_scan.fatbin";

    /** Lowest compute capability (major·10 + minor) the image has machine code for. */
    public static final int MIN_COMPUTE_CAPABILITY = 80;

    private KernelImage() {
    }

    /** The fat binary's bytes, or empty when this build has none. */
    public static Optional<byte[]> load() {
        try (InputStream in = KernelImage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    /** Whether this build carries the kernels. */
    public static boolean isBuilt() {
        return KernelImage.class.getResource(RESOURCE) != null;
    }
}
