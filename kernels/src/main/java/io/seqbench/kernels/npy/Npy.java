package io.seqbench.kernels.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy's .npy format (versions 1.0, 2.0 and 3.0 read; 1.0, or 2.0 for huge headers,
 * written): little-endian float32, float64, int32 and int64 in C order. Everything else (big-endian, Fortran
 * order, other types, object arrays) is rejected with a message that names the file, what it holds and what is
 * supported.
 *
 * <p>Format: the magic {@code \x93NUMPY}, a major and a minor version byte, the header length (2 bytes
 * little-endian in 1.0, 4 bytes in 2.0/3.0), an ASCII (UTF-8 in 3.0) Python dict literal with the keys
 * {@code descr}, {@code fortran_order} and {@code shape}, padded with spaces and ending in a newline so the data
 * starts at a multiple of 64 bytes, then the elements.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern INT = Pattern.compile("\\s*(\\d+)[lL]?\\s*");

    private Npy() {
    }

    /**
     * Reads a .npy file.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws NpyFormatException  when it is not a .npy file this reader supports (the message names the file)
     */
    public static NpyArray read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer prefix = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, prefix, 0);
            prefix.flip();
            if (prefix.remaining() < 10 || !startsWithMagic(prefix)) {
                throw new NpyFormatException(file + " is not a .npy file (it does not start with \\x93NUMPY)");
            }
            int major = prefix.get(6) & 0xff;
            int minor = prefix.get(7) & 0xff;
            long headerLength;
            int headerStart;
            if (major == 1) {
                headerLength = prefix.getShort(8) & 0xffff;
                headerStart = 10;
            } else if (major == 2 || major == 3) {
                if (prefix.remaining() < 12) {
                    throw new NpyFormatException(file + " is truncated inside its .npy preamble");
                }
                headerLength = prefix.getInt(8) & 0xffffffffL;
                headerStart = 12;
            } else {
                throw new NpyFormatException(file + " has .npy format version " + major + "." + minor
                        + "; supported: 1.0, 2.0, 3.0");
            }
            if (headerStart + headerLength > size || headerLength > Integer.MAX_VALUE) {
                throw new NpyFormatException(file + " is truncated: its header claims " + headerLength
                        + " bytes but the file has " + size);
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(ch, headerBytes, headerStart);
            String header = new String(headerBytes.array(), 0, headerBytes.position(),
                    major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).trim();
            Header h = parseHeader(file, header);
            long dataStart = headerStart + headerLength;
            long count = NpyArray.elementCount(h.shape);
            long expectedBytes = Math.multiplyExact(count, (long) h.type.bytes());
            long actualBytes = size - dataStart;
            if (actualBytes != expectedBytes) {
                throw new NpyFormatException(file + " holds " + actualBytes + " bytes of data, but shape "
                        + java.util.Arrays.toString(h.shape) + " of " + h.type + " needs " + expectedBytes);
            }
            if (expectedBytes > Integer.MAX_VALUE) {
                throw new NpyFormatException(file + " has " + expectedBytes + " bytes of data; at most "
                        + Integer.MAX_VALUE + " are supported");
            }
            ByteBuffer data = ByteBuffer.allocate((int) expectedBytes).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, data, dataStart);
            data.flip();
            return NpyArray.ofBytes(h.shape, h.type, data);
        }
    }

    /**
     * Writes a .npy file (version 1.0 unless the header needs 2.0), replacing an existing one.
     *
     * @param file  the destination
     * @param array the array
     */
    public static void write(Path file, NpyArray array) throws IOException {
        byte[] header = header(array);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer h = ByteBuffer.wrap(header);
            while (h.hasRemaining()) {
                ch.write(h);
            }
            ByteBuffer data = array.bytes();
            while (data.hasRemaining()) {
                ch.write(data);
            }
        }
    }

    /** The preamble and padded header of {@code array}. */
    static byte[] header(NpyArray array) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(array.type().descr())
                .append("', 'fortran_order': False, 'shape': (");
        long[] shape = array.shape();
        for (int i = 0; i < shape.length; i++) {
            dict.append(shape[i]).append(i == 0 && shape.length == 1 ? ",)" : i + 1 < shape.length ? ", " : ")");
        }
        if (shape.length == 0) {
            dict.append(")");
        }
        dict.append(", }");
        int v1Prefix = 10;
        int unpadded = dict.length() + 1; // + '\n'
        boolean v2 = v1Prefix + unpadded + 64 > 0xffff;
        int prefix = v2 ? 12 : 10;
        int total = (prefix + unpadded + 63) / 64 * 64;
        int headerLength = total - prefix;
        while (dict.length() + 1 < headerLength) {
            dict.append(' ');
        }
        dict.append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
        if (v2) {
            out.putInt(headerLength);
        } else {
            out.putShort((short) headerLength);
        }
        out.put(text);
        return out.array();
    }

    private record Header(NpyType type, long[] shape) {
    }

    private static Header parseHeader(Path file, String header) throws NpyFormatException {
        if (!header.startsWith("{") || !header.endsWith("}")) {
            throw new NpyFormatException(file + " has a malformed .npy header: " + abbreviate(header));
        }
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new NpyFormatException(file + " has a .npy header without descr, fortran_order and shape: "
                    + abbreviate(header));
        }
        String descr = d.group(1);
        NpyType type = NpyType.ofDescr(descr);
        if (type == null) {
            String why = descr.startsWith(">") ? " (big-endian)" : "";
            throw new NpyFormatException(file + " holds elements of type '" + descr + "'" + why
                    + "; supported: " + NpyType.supported());
        }
        if (f.group(1).equals("True")) {
            throw new NpyFormatException(file + " is in Fortran (column-major) order; save it in C order"
                    + " (numpy.ascontiguousarray)");
        }
        List<Long> dims = new ArrayList<>();
        String inside = s.group(1).trim();
        if (!inside.isEmpty()) {
            for (String part : inside.split(",", -1)) {
                if (part.isBlank()) {
                    continue; // the trailing comma of a 1-tuple
                }
                Matcher m = INT.matcher(part);
                if (!m.matches()) {
                    throw new NpyFormatException(file + " has a malformed shape in its .npy header: ("
                            + inside + ")");
                }
                dims.add(Long.parseLong(m.group(1)));
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        return new Header(type, shape);
    }

    private static boolean startsWithMagic(ByteBuffer b) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    /** True when the file exists (a convenience for callers that list optional files). */
    public static boolean exists(Path file) {
        return Files.isRegularFile(file);
    }
}
