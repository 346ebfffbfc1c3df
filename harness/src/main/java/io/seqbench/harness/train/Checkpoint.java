package io.seqbench.harness.train;

import io.seqbench.harness.store.AtomicFiles;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Model and optimizer state after a given step, in {@code checkpoints/step-NNNNNNNN.ckpt}: a header, then named
 * arrays (parameters, AdamW first and second moments) in ND4J's binary format. Written atomically; the two most
 * recent are kept.
 *
 * @param step       optimizer steps completed
 * @param parameters parameter arrays by name
 * @param first      AdamW first moments by parameter name
 * @param second     AdamW second moments by parameter name
 */
public record Checkpoint(long step, Map<String, INDArray> parameters, Map<String, INDArray> first,
                         Map<String, INDArray> second) {
    private static final String MAGIC = "SEQBENCH-CHECKPOINT";
    private static final int VERSION = 1;
    private static final int KEEP = 2;

    /** Writes this checkpoint into {@code dir} and prunes older ones. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(String.format("step-%08d.ckpt", step));
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw));
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(step);
            writeGroup(out, parameters);
            writeGroup(out, first);
            writeGroup(out, second);
            out.flush();
        });
        List<Path> all = list(dir);
        for (int i = 0; i < all.size() - KEEP; i++) {
            Files.deleteIfExists(all.get(i));
        }
        return file;
    }

    /** The most recent readable checkpoint in {@code dir}, if any. */
    public static Optional<Checkpoint> latest(Path dir) throws IOException {
        List<Path> all = list(dir);
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                return Optional.of(read(all.get(i)));
            } catch (IOException e) {
                // a damaged file (should not happen with atomic writes): fall back to the previous one
            }
        }
        return Optional.empty();
    }

    public static Checkpoint read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
                throw new IOException(file + " is not a SeqBench checkpoint of version " + VERSION);
            }
            long step = in.readLong();
            return new Checkpoint(step, readGroup(in), readGroup(in), readGroup(in));
        } catch (EOFException e) {
            throw new IOException(file + " is truncated", e);
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d{8}\\.ckpt")).sorted().toList();
        }
    }

    private static void writeGroup(DataOutputStream out, Map<String, INDArray> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            out.writeUTF(e.getKey());
            Nd4j.write(e.getValue(), out);
        }
    }

    private static Map<String, INDArray> readGroup(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            arrays.put(name, Nd4j.read(in));
        }
        return arrays;
    }
}
