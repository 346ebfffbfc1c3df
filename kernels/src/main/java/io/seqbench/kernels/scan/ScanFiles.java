package io.seqbench.kernels.scan;

import io.seqbench.kernels.cuda.CudaUnavailableException;
import io.seqbench.kernels.npy.Npy;
import io.seqbench.kernels.npy.NpyArray;
import io.seqbench.kernels.npy.NpyFormatException;
import io.seqbench.kernels.npy.NpyType;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The selective scan on .npy files, so that SeqBench can be compared with the official PyTorch code on the same
 * arrays: the logic behind {@code seqbench kernel scan --in DIR --out DIR [--softplus] [--impl NAME]}.
 *
 * <p>Reads {@code u.npy, delta.npy, A.npy, B.npy, C.npy} and, when present, {@code D.npy, z.npy,
 * delta_bias.npy, dy.npy} (all float32, shapes as in the package documentation, {@code dy} like {@code u});
 * writes {@code y.npy} and, when {@code dy.npy} was given, {@code du.npy, ddelta.npy, dA.npy, dB.npy, dC.npy}
 * and {@code dD.npy, dz.npy, ddelta_bias.npy} for the optional inputs that were given (float32, each shaped like
 * its input).
 *
 * <p>Everything is validated before any computation; the outputs are written into a temporary directory beside
 * {@code out} and moved into place only when all of them are complete, so on any error nothing appears in
 * {@code out}. An existing {@code out} directory receives the files (replacing files of the same names); an
 * existing regular file is refused.
 *
 * <p>Cross-check: {@code kernels/src/test/python/scan_numpy_check.py} is an independent NumPy (float64)
 * implementation of the same math; {@code scan_numpy_check.py make DIR --softplus} writes random inputs,
 * {@code scan_numpy_check.py compare DIR OUT --softplus} recomputes every output and prints its relative error
 * (all three implementations agree with it to about 10⁻⁶).
 */
public final class ScanFiles {
    /** Required inputs, by file stem. */
    public static final List<String> REQUIRED = List.of("u", "delta", "A", "B", "C");
    /** Optional inputs, by file stem; {@code dy} asks for the backward pass. */
    public static final List<String> OPTIONAL = List.of("D", "z", "delta_bias", "dy");

    private ScanFiles() {
    }

    /**
     * What a run did.
     *
     * @param shape   the sizes read from the inputs
     * @param impl    the implementation that ran
     * @param written the files written to {@code out}, in order
     * @param ignored .npy files in {@code in} that are not inputs (e.g. a misspelt name)
     */
    public record Summary(ScanShape shape, ScanImpl impl, List<String> written, List<String> ignored) {
    }

    /**
     * Runs the scan on the files in {@code in} and writes the results to {@code out}.
     *
     * @param in       directory with the input .npy files
     * @param out      directory for the outputs (created if absent)
     * @param softplus whether Δ = softplus(delta + delta_bias)
     * @param impl     which implementation computes
     * @throws ScanFilesException with a user-facing message; nothing is written to {@code out} then
     * @throws io.seqbench.kernels.cuda.CudaUnavailableException ("CUDA not available: …") for {@code --impl cuda}
     *                                                            where the kernels cannot run; nothing is written
     */
    public static Summary run(Path in, Path out, boolean softplus, ScanImpl impl) throws ScanFilesException {
        if (!Files.isDirectory(in)) {
            throw new ScanFilesException("--in " + in + (Files.exists(in) ? " is not a directory" : " does not exist"));
        }
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new ScanFilesException("--out " + out + " exists and is not a directory");
        }
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (String name : REQUIRED) {
            NpyArray a = read(in, name, true);
            arrays.put(name, a);
        }
        for (String name : OPTIONAL) {
            NpyArray a = read(in, name, false);
            if (a != null) {
                arrays.put(name, a);
            }
        }
        ScanShape shape;
        try {
            shape = ScanShapes.infer(input("u", arrays), input("delta", arrays), input("A", arrays),
                    input("B", arrays), input("C", arrays), input("D", arrays), input("z", arrays),
                    input("delta_bias", arrays));
        } catch (IllegalArgumentException e) {
            throw new ScanFilesException(e.getMessage());
        }
        NpyArray dy = arrays.get("dy");
        long[] seq = {shape.batch(), shape.channels(), shape.length()};
        if (dy != null && !Arrays.equals(dy.shape(), seq)) {
            throw new ScanFilesException("dy.npy has shape " + Arrays.toString(dy.shape()) + ", expected "
                    + Arrays.toString(seq) + " (batch, channels, length) like u.npy");
        }
        ScanInputs inputs = new ScanInputs(shape, floats(arrays, "u"), floats(arrays, "delta"), floats(arrays, "A"),
                floats(arrays, "B"), floats(arrays, "C"), floats(arrays, "D"), floats(arrays, "z"),
                floats(arrays, "delta_bias"), softplus);

        Map<String, NpyArray> outputs = new LinkedHashMap<>();
        try {
            ScanImplementation implementation = impl.implementation();
            outputs.put("y", NpyArray.of(implementation.forward(inputs, false).out(), seq));
            if (dy != null) {
                ScanGradients g = implementation.backward(inputs, dy.floats());
                outputs.put("du", NpyArray.of(g.du(), seq));
                outputs.put("ddelta", NpyArray.of(g.ddelta(), seq));
                outputs.put("dA", NpyArray.of(g.da(), shape.channels(), shape.state()));
                outputs.put("dB", NpyArray.of(g.db(), shape.bcShape()));
                outputs.put("dC", NpyArray.of(g.dc(), shape.bcShape()));
                if (g.dd() != null) {
                    outputs.put("dD", NpyArray.of(g.dd(), shape.channels()));
                }
                if (g.dz() != null) {
                    outputs.put("dz", NpyArray.of(g.dz(), seq));
                }
                if (g.ddeltaBias() != null) {
                    outputs.put("ddelta_bias", NpyArray.of(g.ddeltaBias(), shape.channels()));
                }
            }
        } catch (CudaUnavailableException e) {
            throw e;  // "CUDA not available: <reason>", as it is
        } catch (RuntimeException e) {
            throw new ScanFilesException("the " + impl + " selective scan failed: " + e, e);
        }
        List<String> written = writeAtomically(target, out, outputs);
        return new Summary(shape, impl, written, ignoredFiles(in));
    }

    private static NpyArray read(Path dir, String name, boolean required) throws ScanFilesException {
        Path file = dir.resolve(name + ".npy");
        if (!Files.exists(file)) {
            if (required) {
                throw new ScanFilesException("missing " + file + " (required inputs: "
                        + String.join(", ", REQUIRED.stream().map(n -> n + ".npy").toList()) + ")");
            }
            return null;
        }
        NpyArray a;
        try {
            a = Npy.read(file);
        } catch (NpyFormatException e) {
            throw new ScanFilesException(e.getMessage());
        } catch (NoSuchFileException e) {
            throw new ScanFilesException("missing " + file);
        } catch (IOException e) {
            throw new ScanFilesException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (a.type() != NpyType.FLOAT32) {
            throw new ScanFilesException(name + ".npy has dtype " + a.type() + " and shape "
                    + Arrays.toString(a.shape()) + "; expected float32 (<f4)");
        }
        return a;
    }

    private static ScanShapes.Input input(String name, Map<String, NpyArray> arrays) {
        NpyArray a = arrays.get(name);
        return a == null ? null : new ScanShapes.Input(name + ".npy", a.shape());
    }

    private static float[] floats(Map<String, NpyArray> arrays, String name) {
        NpyArray a = arrays.get(name);
        return a == null ? null : a.floats();
    }

    private static List<String> writeAtomically(Path target, Path shown, Map<String, NpyArray> outputs)
            throws ScanFilesException {
        Path tmp = null;
        try {
            Path parent = target.getParent();
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
            List<String> written = new ArrayList<>();
            for (Map.Entry<String, NpyArray> e : outputs.entrySet()) {
                String file = e.getKey() + ".npy";
                Npy.write(tmp.resolve(file), e.getValue());
                written.add(file);
            }
            if (!Files.exists(target)) {
                move(tmp, target);
                tmp = null;
            } else {
                for (String file : written) {
                    move(tmp.resolve(file), target.resolve(file));
                }
            }
            return written;
        } catch (IOException e) {
            throw new ScanFilesException("cannot write the outputs to --out " + shown + ": " + e, e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temporary directory beside --out is harmless
        }
    }

    private static List<String> ignoredFiles(Path in) {
        Set<String> known = new java.util.HashSet<>();
        REQUIRED.forEach(n -> known.add(n + ".npy"));
        OPTIONAL.forEach(n -> known.add(n + ".npy"));
        List<String> ignored = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(in, "*.npy")) {
            for (Path f : files) {
                if (!known.contains(f.getFileName().toString())) {
                    ignored.add(f.getFileName().toString());
                }
            }
        } catch (IOException e) {
            // listing is informational only
        }
        ignored.sort(null);
        return ignored;
    }
}
