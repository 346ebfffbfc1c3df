package io.seqbench.tasks.text;

import java.util.Objects;

/**
 * One text of a corpus, in normal form (see {@link TextFiles}).
 *
 * @param name a short name, e.g. the file name {@code carroll-alice.txt}
 * @param text the whole text
 */
public record Document(String name, String text) {
    public Document {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
    }
}
