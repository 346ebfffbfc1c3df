package io.seqbench.tasks.text;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of tar archives: POSIX ustar headers (name with prefix), pax extended headers (the {@code path}
 * and {@code size} records) and GNU long names. It reads entries in order and hands out the contents of regular
 * files; it checks every header checksum and reports a truncated archive. It does not write anything to disk,
 * so an entry's name cannot escape a directory here; callers that write files must check names themselves.
 */
final class TarReader {
    private static final int BLOCK = 512;

    /** One archive entry. {@code type} is the ustar typeflag ('0' regular file, '5' directory, …). */
    record Entry(String name, char type, long size) {
        boolean isRegularFile() {
            return type == '0' || type == '\0' || type == '7';
        }
    }

    private final InputStream in;
    private long remaining; // unread content bytes of the current entry
    private long padding; // bytes after the content up to the next block boundary
    private final byte[] header = new byte[BLOCK];

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or {@code null} at the end of the archive. Skips what is left of the previous entry. */
    Entry next() throws IOException {
        skipFully(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        Long paxSize = null;
        while (true) {
            if (!readBlock()) {
                return null; // end of stream without end-of-archive blocks: tolerated, as GNU tar does
            }
            if (isZero(header)) {
                return null;
            }
            verifyChecksum();
            char type = (char) header[156];
            long size = parseSize();
            String name = longName != null ? longName : headerName();
            if (type == 'x' || type == 'L' || type == 'g') {
                byte[] data = readBytes(size);
                skipFully(pad(size));
                if (type == 'L') {
                    longName = cString(data, 0, data.length);
                } else if (type == 'x') {
                    PaxRecords pax = parsePax(data);
                    if (pax.path != null) {
                        longName = pax.path;
                    }
                    if (pax.size != null) {
                        paxSize = pax.size;
                    }
                }
                continue; // 'g' (global pax) carries nothing we use
            }
            if (paxSize != null) {
                size = paxSize;
            }
            remaining = type == '5' ? 0 : size;
            padding = pad(remaining);
            return new Entry(name, type, size);
        }
    }

    /**
     * The content of the current entry.
     *
     * @param maxBytes the largest content accepted
     * @throws IOException if the entry is larger than {@code maxBytes} or the archive ends early
     */
    byte[] readContent(long maxBytes) throws IOException {
        if (remaining > maxBytes) {
            throw new IOException("tar entry of " + remaining + " bytes exceeds the limit of " + maxBytes);
        }
        byte[] data = readBytes(remaining);
        remaining = 0;
        return data;
    }

    private boolean readBlock() throws IOException {
        int read = in.readNBytes(header, 0, BLOCK);
        if (read == 0) {
            return false;
        }
        if (read < BLOCK) {
            throw new EOFException("truncated tar archive: a header block has only " + read + " of 512 bytes");
        }
        return true;
    }

    private byte[] readBytes(long size) throws IOException {
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException("tar entry too large to read into memory: " + size + " bytes");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException("truncated tar archive: an entry promises " + size + " bytes, only "
                    + data.length + " follow");
        }
        return data;
    }

    private void skipFully(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("truncated tar archive: " + left + " bytes missing");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static long pad(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private void verifyChecksum() throws IOException {
        long expected = parseOctal(148, 8, "checksum");
        long unsigned = 0;
        for (int i = 0; i < BLOCK; i++) {
            unsigned += (i >= 148 && i < 156) ? ' ' : header[i] & 0xFF;
        }
        if (unsigned != expected) {
            // some old writers summed signed bytes
            long signed = 0;
            for (int i = 0; i < BLOCK; i++) {
                signed += (i >= 148 && i < 156) ? ' ' : header[i];
            }
            if (signed != expected) {
                throw new IOException("corrupt tar archive: header checksum " + expected + " does not match the "
                        + "header's bytes (" + unsigned + ") for entry '" + headerName() + "'");
            }
        }
    }

    private long parseSize() throws IOException {
        if ((header[124] & 0x80) != 0) {
            throw new IOException("tar entry '" + headerName() + "' uses a base-256 size (over 8 GiB); unsupported");
        }
        return parseOctal(124, 12, "size");
    }

    private long parseOctal(int offset, int length, String field) throws IOException {
        long value = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        boolean any = false;
        for (; i < end && header[i] >= '0' && header[i] <= '7'; i++) {
            value = value * 8 + (header[i] - '0');
            any = true;
        }
        for (; i < end; i++) {
            if (header[i] != ' ' && header[i] != 0) {
                throw new IOException("corrupt tar archive: the " + field + " field is not an octal number");
            }
        }
        return any ? value : 0;
    }

    private String headerName() {
        String name = cString(header, 0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r';
        if (ustar) {
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private record PaxRecords(String path, Long size) {
    }

    /** Pax records are {@code "<length> <key>=<value>\n"}, the length counting the whole record in bytes. */
    private static PaxRecords parsePax(byte[] data) throws IOException {
        String path = null;
        Long size = null;
        int i = 0;
        while (i < data.length) {
            int space = i;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException("corrupt pax header: bad record length", e);
            }
            if (length <= 0 || i + length > data.length || data[i + length - 1] != '\n') {
                throw new IOException("corrupt pax header: record length " + length + " out of bounds");
            }
            String record = new String(data, space + 1, i + length - 1 - (space + 1), StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0) {
                String key = record.substring(0, eq);
                String value = record.substring(eq + 1);
                if (key.equals("path")) {
                    path = value;
                } else if (key.equals("size")) {
                    try {
                        size = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("corrupt pax header: size '" + value + "'", e);
                    }
                }
            }
            i += length;
        }
        return new PaxRecords(path, size);
    }
}
