package io.seqbench.tasks.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CharVocabularyTest {

    @Test
    void of_text_numbersItsCharactersInCodePointOrderAfterTheUnknownId() {
        CharVocabulary vocabulary = CharVocabulary.of("banana bread 😀");
        // distinct: ' ' a b d e n r 😀
        assertEquals(9, vocabulary.size());
        assertEquals(8, vocabulary.characterCount());
        assertArrayEquals(new int[]{1, 2, 3, 4, 5, 6, 7, 8},
                new int[]{vocabulary.encode(' '), vocabulary.encode('a'), vocabulary.encode('b'), vocabulary.encode('d'),
                        vocabulary.encode('e'), vocabulary.encode('n'), vocabulary.encode('r'),
                        vocabulary.encode("😀".codePointAt(0))});
        assertEquals(CharVocabulary.UNKNOWN, vocabulary.encode('z'));
    }

    @Test
    void decode_ids_givesTheTextBackAndMarksUnknown() {
        CharVocabulary vocabulary = CharVocabulary.of("abc");
        int[] ids = vocabulary.encodeInPlace("cab?".codePoints().toArray());
        assertArrayEquals(new int[]{3, 1, 2, 0}, ids);
        assertEquals("cab\uFFFD", vocabulary.decode(ids, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> vocabulary.decode(4));
    }
}
