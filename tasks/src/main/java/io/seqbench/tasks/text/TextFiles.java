package io.seqbench.tasks.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reading and normalising text files. Normal form: UTF-8 on disk, LF line endings, no byte-order mark, no DOS
 * end-of-file characters (U+001A, which some old Project Gutenberg files carry before their last newline).
 */
public final class TextFiles {
    private TextFiles() {
    }

    /**
     * Text decoded from a file's bytes and put in normal form, with what the bytes were.
     *
     * @param text              the normalised text
     * @param sourceEncoding    {@code UTF-8}, or {@code ISO-8859-1} when the bytes were not valid UTF-8
     * @param sourceLineEndings {@code LF}, {@code CRLF}, {@code CR} or {@code mixed}
     */
    public record Normalized(String text, String sourceEncoding, String sourceLineEndings) {
    }

    /**
     * Decodes bytes of unknown encoding, Project Gutenberg style: valid UTF-8 is read as UTF-8; anything else is
     * read as ISO-8859-1 (Latin-1, where every byte is a character, so this never fails). Then normalises.
     */
    public static Normalized normalize(byte[] bytes) {
        boolean utf8 = firstInvalidUtf8(bytes) < 0;
        String decoded = new String(bytes, utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return new Normalized(normalizeText(decoded), utf8 ? "UTF-8" : "ISO-8859-1", lineEndings(decoded));
    }

    /** The normal form of already decoded text: LF line endings, no BOM, no U+001A. */
    public static String normalizeText(String text) {
        String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (s.indexOf('\r') >= 0) {
            s = s.replace("\r\n", "\n").replace('\r', '\n');
        }
        if (s.indexOf('\u001A') >= 0) {
            s = s.replace("\u001A", "");
        }
        return s;
    }

    /**
     * Reads a file that must be UTF-8 and returns its normalised text.
     *
     * @throws IllegalArgumentException saying what is wrong: the file is missing, a directory, empty, or not valid
     *                                  UTF-8 (with the byte offset and line of the first bad byte)
     * @throws IOException              when the file exists but cannot be read
     */
    public static String readUtf8(Path path) throws IOException {
        Path shown = path.toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException("'" + shown + "' is a directory, expected a UTF-8 text file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: '" + shown + "'");
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException("'" + shown + "' is empty");
        }
        long bad = firstInvalidUtf8(bytes);
        if (bad >= 0) {
            throw new IllegalArgumentException("'" + shown + "' is not valid UTF-8: byte 0x"
                    + String.format("%02X", bytes[(int) bad] & 0xFF) + " at offset " + bad + " (line "
                    + lineOf(bytes, bad) + ") does not belong to a valid UTF-8 sequence; convert the file to UTF-8 "
                    + "first, e.g. iconv -f ISO-8859-1 -t UTF-8 in.txt > out.txt");
        }
        return normalizeText(new String(bytes, StandardCharsets.UTF_8));
    }

    /** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or −1 if all are. */
    public static long firstInvalidUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isOverflow()) {
                out.clear();
            } else {
                return -1; // underflow with end of input: everything decoded
            }
        }
    }

    private static String lineEndings(String text) {
        int crlf = 0;
        int cr = 0;
        int lf = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    crlf++;
                    i++;
                } else {
                    cr++;
                }
            } else if (c == '\n') {
                lf++;
            }
        }
        int kinds = (crlf > 0 ? 1 : 0) + (cr > 0 ? 1 : 0) + (lf > 0 ? 1 : 0);
        if (kinds > 1) {
            return "mixed";
        }
        return crlf > 0 ? "CRLF" : cr > 0 ? "CR" : "LF";
    }

    private static long lineOf(byte[] bytes, long offset) {
        long line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
