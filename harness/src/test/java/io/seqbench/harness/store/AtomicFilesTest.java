package io.seqbench.harness.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void write_failingHalfway_leavesTheOldContentAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("run.json");
        AtomicFiles.write(target, "{\"status\":\"running\"}");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("{\"status\":\"comp".getBytes(StandardCharsets.UTF_8));
            throw new IOException("simulated crash in the middle of the write");
        }));
        assertEquals("{\"status\":\"running\"}", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void write_replacesTheWholeFile() throws IOException {
        Path target = dir.resolve("summary.json");
        AtomicFiles.write(target, "a much longer first version");
        AtomicFiles.write(target, "short");
        assertEquals("short", Files.readString(target));
    }
}
