package io.seqbench.tasks.text;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Builds small tar and .tgz archives for tests: ustar headers, pax path records, directories. */
final class TarFixtures {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A regular file; names over 100 bytes go into the ustar prefix field (split at a slash). */
    TarFixtures file(String name, byte[] content) {
        String prefix = "";
        String base = name;
        if (name.length() > 100) {
            int slash = name.lastIndexOf('/', name.length() - 2);
            prefix = name.substring(0, slash);
            base = name.substring(slash + 1);
        }
        writeHeader(base, prefix, content.length, '0');
        writeContent(content);
        return this;
    }

    TarFixtures file(String name, String utf8) {
        return file(name, utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** A regular file whose real name is carried by a pax extended header (the ustar name is a placeholder). */
    TarFixtures paxFile(String name, byte[] content) {
        String body = "path=" + name + "\n";
        int length = body.getBytes(StandardCharsets.UTF_8).length + 1;
        while (String.valueOf(length).length() + 1 + body.getBytes(StandardCharsets.UTF_8).length != length) {
            length++;
        }
        byte[] record = (length + " " + body).getBytes(StandardCharsets.UTF_8);
        writeHeader("PaxHeader/placeholder", "", record.length, 'x');
        writeContent(record);
        writeHeader("placeholder-name", "", content.length, '0');
        writeContent(content);
        return this;
    }

    TarFixtures directory(String name) {
        writeHeader(name, "", 0, '5');
        return this;
    }

    /** The archive with its two end-of-archive blocks. */
    byte[] tar() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(new byte[1024]);
        return copy.toByteArray();
    }

    byte[] tgz() {
        return gzip(tar());
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void writeHeader(String name, String prefix, long size, char type) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, "0000644");
        put(h, 108, 8, "0000000");
        put(h, 116, 8, "0000000");
        put(h, 124, 12, String.format("%011o", size));
        put(h, 136, 12, String.format("%011o", 1_445_000_000L));
        h[156] = (byte) type;
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        put(h, 345, 155, prefix);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        put(h, 148, 7, String.format("%06o", sum));
        h[155] = ' ';
        out.writeBytes(h);
    }

    private void writeContent(byte[] content) {
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
    }

    private static void put(byte[] header, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > length) {
            throw new IllegalArgumentException("'" + value + "' does not fit in " + length + " bytes");
        }
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
