package io.seqbench.tasks.text;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TarReaderTest {
    private static final String LONG = "package/gutenberg/" + "x".repeat(90) + "/" + "y".repeat(60) + ".txt";

    @Test
    void next_ustarPaxAndPrefixNames_readsEveryEntryInOrder() throws IOException {
        byte[] big = new byte[1500];
        Arrays.fill(big, (byte) 'b');
        byte[] tar = new TarFixtures()
                .directory("package/")
                .file("package/a.txt", "alpha\n")
                .file(LONG, "long\n")
                .paxFile("package/" + "p".repeat(150) + ".txt", "pax\n".getBytes(StandardCharsets.UTF_8))
                .file("package/big.bin", big)
                .tar();
        TarReader reader = new TarReader(new ByteArrayInputStream(tar));
        List<String> names = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        for (TarReader.Entry e = reader.next(); e != null; e = reader.next()) {
            names.add(e.name());
            if (e.isRegularFile() && e.name().endsWith(".txt")) {
                contents.add(new String(reader.readContent(100), StandardCharsets.UTF_8));
            }
            if (e.name().endsWith(".bin")) {
                assertArrayEquals(big, reader.readContent(10_000));
            }
        }
        assertEquals(List.of("package/", "package/a.txt", LONG, "package/" + "p".repeat(150) + ".txt",
                "package/big.bin"), names);
        assertEquals(List.of("alpha\n", "long\n", "pax\n"), contents);
    }

    @Test
    void next_unreadContent_isSkipped() throws IOException {
        byte[] tar = new TarFixtures().file("a", "x".repeat(700)).file("b", "second").tar();
        TarReader reader = new TarReader(new ByteArrayInputStream(tar));
        assertEquals("a", reader.next().name());
        TarReader.Entry b = reader.next();
        assertEquals("b", b.name());
        assertEquals("second", new String(reader.readContent(10), StandardCharsets.UTF_8));
    }

    @Test
    void next_corruptHeader_failsOnTheChecksum() {
        byte[] tar = new TarFixtures().file("package/a.txt", "alpha").tar();
        tar[10] ^= 0x01;
        var e = assertThrows(IOException.class, () -> new TarReader(new ByteArrayInputStream(tar)).next());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void readContent_truncatedArchive_saysSo() throws IOException {
        byte[] tar = new TarFixtures().file("package/a.txt", "x".repeat(2000)).tar();
        TarReader reader = new TarReader(new ByteArrayInputStream(Arrays.copyOf(tar, 1024)));
        reader.next();
        var e = assertThrows(EOFException.class, () -> reader.readContent(10_000));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void readContent_overTheLimit_isRefused() throws IOException {
        TarReader reader = new TarReader(new ByteArrayInputStream(new TarFixtures().file("a", "0123456789").tar()));
        reader.next();
        var e = assertThrows(IOException.class, () -> reader.readContent(5));
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
    }
}
