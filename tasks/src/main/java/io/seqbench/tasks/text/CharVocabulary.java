package io.seqbench.tasks.text;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A character vocabulary: token {@code 0} is reserved for characters outside the vocabulary ({@link #UNKNOWN}); the
 * characters (Unicode code points) get ids {@code 1 … n} in increasing code-point order. The same set of characters
 * always gives the same ids.
 */
public final class CharVocabulary {
    /** The id of every character the vocabulary does not contain. */
    public static final int UNKNOWN = 0;

    private final int[] codePoints; // sorted; the id of codePoints[i] is i + 1

    private CharVocabulary(int[] codePoints) {
        this.codePoints = codePoints;
    }

    /** The vocabulary of the distinct code points in {@code text}. */
    public static CharVocabulary of(int[] text) {
        BitSet seen = new BitSet(Character.MAX_CODE_POINT + 1);
        for (int codePoint : text) {
            seen.set(codePoint);
        }
        return new CharVocabulary(seen.stream().toArray());
    }

    /** The vocabulary of the distinct characters of {@code text}. */
    public static CharVocabulary of(String text) {
        return of(text.codePoints().toArray());
    }

    /** Number of token ids, including the reserved {@link #UNKNOWN}. */
    public int size() {
        return codePoints.length + 1;
    }

    /** Number of characters (ids other than {@link #UNKNOWN}). */
    public int characterCount() {
        return codePoints.length;
    }

    /** The id of a code point, {@link #UNKNOWN} if it is not in the vocabulary. */
    public int encode(int codePoint) {
        int i = Arrays.binarySearch(codePoints, codePoint);
        return i >= 0 ? i + 1 : UNKNOWN;
    }

    /** Encodes code points in place into ids and returns the same array. */
    public int[] encodeInPlace(int[] text) {
        for (int i = 0; i < text.length; i++) {
            text[i] = encode(text[i]);
        }
        return text;
    }

    /** The code point of an id; U+FFFD (the replacement character) for {@link #UNKNOWN}. */
    public int decode(int id) {
        if (id < 0 || id > codePoints.length) {
            throw new IllegalArgumentException("id must be in [0, " + codePoints.length + "], got " + id);
        }
        return id == UNKNOWN ? 0xFFFD : codePoints[id - 1];
    }

    /** Text of a run of ids. */
    public String decode(int[] ids, int from, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = from; i < from + length; i++) {
            s.appendCodePoint(decode(ids[i]));
        }
        return s.toString();
    }
}
