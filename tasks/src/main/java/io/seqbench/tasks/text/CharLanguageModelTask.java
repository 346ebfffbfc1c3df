package io.seqbench.tasks.text;

import io.seqbench.tasks.Batch;
import io.seqbench.tasks.Checks;
import io.seqbench.tasks.Metric;
import io.seqbench.tasks.Seeds;
import io.seqbench.tasks.Split;
import io.seqbench.tasks.Task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Character-level language modeling: predict the next character of a text; scored in bits per character on held-out
 * text (perplexity per character is 2^bpc).
 *
 * <p>Sources ({@code source} in the spec):
 * <ul>
 *   <li>{@code synthetic} (default, no download): text sampled from a seeded {@link MarkovLanguage}, an order-k
 *       Markov chain over A letters whose entropy rate is computed exactly, so reports can show each model's gap
 *       to the optimum ({@code optimal_bpc}). The language and its text depend only on the config
 *       ({@code language_seed}), never on the run seed, so every run of a spec sees the same language.</li>
 *   <li>{@code gutenberg}: the Project Gutenberg selection installed by {@code seqbench data fetch} (see
 *       {@link GutenbergCorpus}) in {@code data_dir}; {@code file} picks one text ({@code carroll-alice} or
 *       {@code carroll-alice.txt}) or {@code all} of them.</li>
 *   <li>{@code file}: any UTF-8 text file at {@code path}.</li>
 * </ul>
 * Text is used in normal form (LF line endings, no BOM; see {@link TextFiles}).
 *
 * <p>Split: the last {@code ⌊validation_fraction · n⌋} characters of each document are validation text, the rest
 * training text; the training parts of all documents are concatenated in name order, and so are the validation
 * parts. Vocabulary: id {@code 0} is reserved for unknown characters, then the characters of the training text in
 * code-point order (for the synthetic source: its whole alphabet); a validation character that never occurs in
 * training maps to {@code 0}. Batches are windows of {@code length + 1} characters at offsets drawn uniformly with
 * {@link Seeds} from the split's text: inputs are the first {@code length}, targets the last {@code length}.
 * The mask is 1 at every position whose target is a known character (unknown targets, possible only in
 * validation, are excluded and their share is reported as {@code validation_unknown_fraction}).
 *
 * <p>Worked example, text {@code "the cat"}, length 4, window at offset 1 ({@code ␣} is a space):
 * <pre>
 *   position   0  1  2  3
 *   input      h  e  ␣  c
 *   target     e  ␣  c  a
 *   mask       1  1  1  1
 * </pre>
 *
 * <p>Other lengths: any length with at least {@code length + 1} characters in both the training and the validation
 * text.
 */
public final class CharLanguageModelTask implements Task {
    public static final String TYPE = "char_lm";

    /** Where the text comes from. */
    public enum Source {
        SYNTHETIC, GUTENBERG, FILE;

        /** The spec spelling: lowercase. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Source> parse(String key) {
            return Arrays.stream(values()).filter(s -> s.key().equals(key)).findFirst();
        }

        static List<String> keys() {
            return Arrays.stream(values()).map(Source::key).toList();
        }
    }

    /** The {@code file} value that selects every Gutenberg text. */
    public static final String ALL_FILES = "all";
    private static final long TEXT_STREAM = 0x7E47_5EEDL;

    /**
     * Configuration of the character-level language modeling task.
     *
     * @param source             {@code synthetic}, {@code gutenberg} or {@code file}
     * @param length             training window length (≥ 1)
     * @param validationFraction share of each document held out for validation, in (0, 0.5]
     * @param alphabetSize       synthetic only: letters of the language, 2 … 26
     * @param order              synthetic only: k, letters of context the next letter depends on (≥ 1, with
     *                           alphabet_size^order ≤ 65536)
     * @param concentration      synthetic only: Dirichlet concentration of the next-letter distributions,
     *                           0.1 … 1000 (smaller is more predictable)
     * @param languageSeed       synthetic only: seed of the language and its text
     * @param syntheticChars     synthetic only: length of the generated text, 1000 … 100 000 000
     * @param dataDir            gutenberg only: the corpus folder, relative to the working directory
     * @param file               gutenberg only: one text's name, or {@code all}
     * @param path               file only: the UTF-8 text file (empty for the other sources)
     */
    public record Config(String source, int length, double validationFraction, int alphabetSize, int order,
                         double concentration, long languageSeed, int syntheticChars, String dataDir, String file,
                         String path) {
        /**
         * Offline default: an order-3 chain over 8 letters (512 contexts), 1 000 000 characters, windows of 128.
         */
        public static final Config DEFAULTS = new Config("synthetic", 128, 0.1, 8, 3, 0.5, 1L, 1_000_000,
                GutenbergCorpus.DEFAULT_DIR.toString(), ALL_FILES, "");

        public Config {
            Checks.require(source != null && Source.parse(source).isPresent(), "source",
                    "must be one of " + Source.keys(), source == null ? null : "'" + source + "'");
            Checks.require(length >= 1, "length", "must be ≥ 1", length);
            Checks.require(validationFraction > 0 && validationFraction <= 0.5, "validation_fraction",
                    "must be in (0, 0.5]", validationFraction);
            Checks.require(alphabetSize >= 2 && alphabetSize <= 26, "alphabet_size", "must be in [2, 26]",
                    alphabetSize);
            Checks.require(order >= 1 && Math.pow(alphabetSize, order) <= MarkovLanguage.MAX_STATES, "order",
                    "must be ≥ 1 with alphabet_size^order (the number of contexts) ≤ " + MarkovLanguage.MAX_STATES,
                    order + " (" + alphabetSize + "^" + order + " = " + (long) Math.pow(alphabetSize, order) + ")");
            Checks.require(concentration >= 0.1 && concentration <= 1000, "concentration", "must be in [0.1, 1000]",
                    concentration);
            Checks.require(syntheticChars >= 1000 && syntheticChars <= 100_000_000, "synthetic_chars",
                    "must be in [1000, 100000000]", syntheticChars);
            Checks.require(dataDir != null && !dataDir.isBlank(), "data_dir", "must be a folder path", dataDir);
            Checks.require(file != null && !file.isBlank(), "file",
                    "must be '" + ALL_FILES + "' or the name of one Gutenberg text", file);
            Checks.require(path != null, "path", "must be a file path, or empty unless source is 'file'", path);
            Source kind = Source.parse(source).orElseThrow();
            Checks.require(kind == Source.GUTENBERG || file.equals(ALL_FILES), "file",
                    "selects a Gutenberg text, so it is only allowed with source 'gutenberg'", "'" + file + "'");
            Checks.require(kind == Source.FILE || path.isEmpty(), "path",
                    "is only allowed with source 'file'", "'" + path + "'");
            Checks.require(kind != Source.FILE || !path.isBlank(), "path",
                    "required when source is 'file': the UTF-8 text file to model");
        }

        /** The parsed {@link #source()}. */
        public Source sourceKind() {
            return Source.parse(source).orElseThrow();
        }
    }

    private final Config config;
    private final long seed;
    private final CharVocabulary vocabulary;
    private final int[] train; // token ids
    private final int[] validation;
    private final MarkovLanguage language; // null unless synthetic
    private final String description;
    private final String textSha256;
    private final Map<String, Double> referenceValues;

    /**
     * Loads or generates the text and builds the vocabulary and the split.
     *
     * @throws IllegalArgumentException naming the config field at fault: a missing or non-UTF-8 file, a missing
     *                                  Gutenberg corpus (with the fetch command), a text too short for the length
     */
    public CharLanguageModelTask(Config config, long seed) {
        this.config = config;
        this.seed = seed;
        Source source = config.sourceKind();
        List<Document> documents;
        if (source == Source.SYNTHETIC) {
            language = MarkovLanguage.create(config.alphabetSize(), config.order(), config.concentration(),
                    config.languageSeed());
            // the text's stream is split off the language seed, so it is independent of the draws of the language
            SplittableRandom textRandom = new SplittableRandom(Seeds.mix(config.languageSeed(), TEXT_STREAM));
            String text = language.sample(config.syntheticChars(), textRandom);
            documents = List.of(new Document("synthetic", text));
            description = "synthetic order-" + config.order() + " Markov language over " + config.alphabetSize()
                    + " letters (concentration " + config.concentration() + ", language_seed "
                    + config.languageSeed() + ")";
        } else {
            language = null;
            documents = source == Source.GUTENBERG ? gutenbergDocuments(config) : List.of(fileDocument(config));
            description = source == Source.GUTENBERG
                    ? "Gutenberg " + config.file() + " from " + config.dataDir()
                    : "file " + config.path();
        }

        textSha256 = digest(documents);

        List<int[]> trainParts = new ArrayList<>();
        List<int[]> validationParts = new ArrayList<>();
        for (Document document : documents) {
            int[] codePoints = document.text().codePoints().toArray();
            int held = (int) Math.floor(codePoints.length * config.validationFraction());
            trainParts.add(Arrays.copyOfRange(codePoints, 0, codePoints.length - held));
            validationParts.add(Arrays.copyOfRange(codePoints, codePoints.length - held, codePoints.length));
        }
        int[] trainText = concat(trainParts);
        int[] validationText = concat(validationParts);
        vocabulary = language != null ? CharVocabulary.of(language.alphabet()) : CharVocabulary.of(trainText);
        train = vocabulary.encodeInPlace(trainText);
        validation = vocabulary.encodeInPlace(validationText);
        Checks.require(supportsLength(config.length()), "length",
                config.length() + " needs at least " + (config.length() + 1L) + " characters in both the training "
                        + "and the validation text; " + description + " has " + train.length + " training and "
                        + validation.length + " validation characters (validation_fraction "
                        + config.validationFraction() + ")");
        referenceValues = computeReferenceValues();
    }

    private static List<Document> gutenbergDocuments(Config config) {
        List<Document> all;
        try {
            all = GutenbergCorpus.load(Path.of(config.dataDir()));
        } catch (IOException e) {
            throw new IllegalArgumentException("data_dir: cannot read the Gutenberg corpus in '" + config.dataDir()
                    + "': " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data_dir: " + e.getMessage(), e);
        }
        if (config.file().equals(ALL_FILES)) {
            return all;
        }
        String wanted = config.file().endsWith(".txt") ? config.file() : config.file() + ".txt";
        return all.stream().filter(d -> d.name().equals(wanted)).findFirst().map(List::of)
                .orElseThrow(() -> new IllegalArgumentException("file: no text '" + config.file()
                        + "' in the Gutenberg corpus at '" + config.dataDir() + "'; allowed: " + ALL_FILES + ", "
                        + all.stream().map(d -> d.name().replaceFirst("\\.txt$", ""))
                        .collect(Collectors.joining(", "))));
    }

    private static Document fileDocument(Config config) {
        Path path = Path.of(config.path());
        try {
            return new Document(path.getFileName().toString(), TextFiles.readUtf8(path));
        } catch (IOException e) {
            throw new IllegalArgumentException("path: cannot read '" + config.path() + "': " + e, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("path: " + e.getMessage(), e);
        }
    }

    /** sha256 over every document used, in order: its name, a NUL, its text in UTF-8, a NUL. */
    private static String digest(List<Document> documents) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        for (Document document : documents) {
            sha256.update(document.name().getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(document.text().getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static int[] concat(List<int[]> parts) {
        int[] all = new int[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private Map<String, Double> computeReferenceValues() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("chance_bpc", log2(vocabulary.characterCount()));
        long[] counts = new long[vocabulary.size()];
        for (int id : train) {
            counts[id]++;
        }
        double unigram = 0;
        for (long count : counts) {
            if (count > 0) {
                double p = (double) count / train.length;
                unigram -= p * log2(p);
            }
        }
        values.put("unigram_bpc", unigram);
        long unknown = Arrays.stream(validation).filter(id -> id == CharVocabulary.UNKNOWN).count();
        values.put("validation_unknown_fraction", (double) unknown / validation.length);
        if (language != null) {
            values.put("optimal_bpc", language.entropyRate());
            values.put("optimal_window_bpc", language.optimalWindowBitsPerCharacter(config.length()));
        }
        return Map.copyOf(values);
    }

    private static double log2(double x) {
        return StrictMath.log(x) / StrictMath.log(2);
    }

    public Config config() {
        return config;
    }

    /** The character vocabulary (to decode ids, e.g. for samples). */
    public CharVocabulary vocabulary() {
        return vocabulary;
    }

    /** The synthetic language, when the source is {@code synthetic}. */
    public Optional<MarkovLanguage> language() {
        return Optional.ofNullable(language);
    }

    /** Where the text came from, in words. */
    public String description() {
        return description;
    }

    /**
     * Lowercase hex sha256 of the text this task uses (every document's name and normalised text, in order): what
     * a run record should store to show which text a run saw, since a {@code file} or corpus can change.
     */
    public String textSha256() {
        return textSha256;
    }

    /** Number of characters in a split's text. */
    public int textLength(Split split) {
        return region(split).length;
    }

    int[] region(Split split) {
        return split == Split.TRAIN ? train : validation;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int vocabSize() {
        return vocabulary.size();
    }

    @Override
    public int length() {
        return config.length();
    }

    @Override
    public Metric metric() {
        return Metric.BITS_PER_CHARACTER;
    }

    @Override
    public boolean supportsLength(int length) {
        return length >= 1 && length < Math.min(train.length, validation.length);
    }

    @Override
    public Batch batch(Split split, long step, int batchSize, int length) {
        if (!supportsLength(length)) {
            throw new IllegalArgumentException("char_lm on " + description + " supports lengths 1 … "
                    + (Math.min(train.length, validation.length) - 1) + ", got " + length);
        }
        int[] text = region(split);
        SplittableRandom random = Seeds.forBatch(seed, split, step);
        Batch batch = Batch.allocate(batchSize, length);
        for (int b = 0; b < batchSize; b++) {
            int start = random.nextInt(text.length - length); // window [start, start + length] fits
            int row = batch.index(b, 0);
            System.arraycopy(text, start, batch.inputs(), row, length);
            for (int t = 0; t < length; t++) {
                int target = text[start + t + 1];
                if (target != CharVocabulary.UNKNOWN) {
                    batch.targets()[row + t] = target;
                    batch.mask()[row + t] = 1f;
                }
            }
        }
        return batch;
    }

    @Override
    public Map<String, Double> referenceValues() {
        return referenceValues;
    }
}
