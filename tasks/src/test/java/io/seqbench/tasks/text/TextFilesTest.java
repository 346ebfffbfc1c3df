package io.seqbench.tasks.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextFilesTest {
    @TempDir
    Path dir;

    @Test
    void normalize_utf8WithLf_isUnchanged() {
        var n = TextFiles.normalize("Café au lait\nsecond\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("Café au lait\nsecond\n", n.text());
        assertEquals("UTF-8", n.sourceEncoding());
        assertEquals("LF", n.sourceLineEndings());
    }

    @Test
    void normalize_latin1_isDecodedAsLatin1() {
        byte[] bytes = "Ant. C\u00e6sar, Copp\u00e9e\n".getBytes(StandardCharsets.ISO_8859_1);
        var n = TextFiles.normalize(bytes);
        assertEquals("Ant. Cæsar, Coppée\n", n.text());
        assertEquals("ISO-8859-1", n.sourceEncoding());
    }

    @Test
    void normalize_lineEndingsBomAndDosEof_becomeTheNormalForm() {
        var crlf = TextFiles.normalize("a\r\nb\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("a\nb\n", crlf.text());
        assertEquals("CRLF", crlf.sourceLineEndings());
        var cr = TextFiles.normalize("a\rb\r".getBytes(StandardCharsets.UTF_8));
        assertEquals("a\nb\n", cr.text());
        assertEquals("CR", cr.sourceLineEndings());
        assertEquals("mixed", TextFiles.normalize("a\r\nb\n".getBytes(StandardCharsets.UTF_8)).sourceLineEndings());
        assertEquals("[The End]\n", TextFiles.normalize("\uFEFF[The End]\u001A\u001A\r\n".getBytes(StandardCharsets.UTF_8)).text());
    }

    @Test
    void firstInvalidUtf8_malformedSequences_reportTheirOffset() {
        assertEquals(-1, TextFiles.firstInvalidUtf8("ok é 😀".getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, TextFiles.firstInvalidUtf8(new byte[]{'a', 'b', (byte) 0xE9, 'c'}));
        assertEquals(1, TextFiles.firstInvalidUtf8(new byte[]{'a', (byte) 0xC0, (byte) 0x80}), "overlong");
        assertEquals(0, TextFiles.firstInvalidUtf8(new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}), "surrogate");
        assertEquals(1, TextFiles.firstInvalidUtf8(new byte[]{'a', (byte) 0xE2, (byte) 0x82}), "truncated at the end");
    }

    @Test
    void readUtf8_validFile_returnsNormalisedText() throws IOException {
        Path file = dir.resolve("ok.txt");
        Files.writeString(file, "one\r\ntwo 😀\r\n");
        assertEquals("one\ntwo 😀\n", TextFiles.readUtf8(file));
    }

    @Test
    void readUtf8_badFiles_sayWhatIsWrong() throws IOException {
        var missing = assertThrows(IllegalArgumentException.class, () -> TextFiles.readUtf8(dir.resolve("nope.txt")));
        assertTrue(missing.getMessage().startsWith("no such file: '"), missing.getMessage());

        var directory = assertThrows(IllegalArgumentException.class, () -> TextFiles.readUtf8(dir));
        assertTrue(directory.getMessage().endsWith("is a directory, expected a UTF-8 text file"), directory.getMessage());

        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TextFiles.readUtf8(empty))
                .getMessage().endsWith("is empty"));

        Path latin1 = Files.write(dir.resolve("latin1.txt"), "first line\nCopp\u00e9e\n".getBytes(StandardCharsets.ISO_8859_1));
        var e = assertThrows(IllegalArgumentException.class, () -> TextFiles.readUtf8(latin1));
        assertTrue(e.getMessage().contains("is not valid UTF-8: byte 0xE9 at offset 15 (line 2)"), e.getMessage());
        assertTrue(e.getMessage().contains("convert the file to UTF-8"), e.getMessage());
    }
}
