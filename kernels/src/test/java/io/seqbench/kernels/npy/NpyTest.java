package io.seqbench.kernels.npy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void writeThenRead_everyType_roundTrips() throws IOException {
        Path f = dir.resolve("f.npy");
        Npy.write(f, NpyArray.of(new float[]{1.5f, -2f, Float.NaN, 7f, 0f, 3e-38f}, 2, 3));
        NpyArray a = Npy.read(f);
        assertEquals(NpyType.FLOAT32, a.type());
        assertArrayEquals(new long[]{2, 3}, a.shape());
        assertArrayEquals(new float[]{1.5f, -2f, Float.NaN, 7f, 0f, 3e-38f}, a.floats());

        Npy.write(f, NpyArray.of(new double[]{Math.PI, -1e300}, 2));
        assertArrayEquals(new double[]{Math.PI, -1e300}, Npy.read(f).doubles());
        Npy.write(f, NpyArray.of(new int[]{Integer.MIN_VALUE, 5, 6, 7}, 1, 2, 2));
        assertArrayEquals(new int[]{Integer.MIN_VALUE, 5, 6, 7}, Npy.read(f).ints());
        assertArrayEquals(new long[]{1, 2, 2}, Npy.read(f).shape());
        Npy.write(f, NpyArray.of(new long[]{Long.MAX_VALUE}));
        assertArrayEquals(new long[]{}, Npy.read(f).shape(), "a scalar has shape ()");
        assertArrayEquals(new long[]{Long.MAX_VALUE}, Npy.read(f).longs());
    }

    @Test
    void write_headerIsVersion1AlignedTo64AndEndsInNewline() throws IOException {
        Path f = dir.resolve("h.npy");
        Npy.write(f, NpyArray.of(new float[]{1, 2, 3}, 3));
        byte[] bytes = Files.readAllBytes(f);
        assertEquals((byte) 0x93, bytes[0]);
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, bytes[6]);
        int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), header);
        assertEquals('\n', header.charAt(header.length() - 1));
        assertEquals(10 + headerLength + 12, bytes.length);
    }

    /** A file as NumPy writes it, built by hand (version 2.0, double-quoted keys, extra spaces). */
    @Test
    void read_version2HandMadeHeader_parses() throws IOException {
        String dict = "{\"descr\": \"<i8\",  \"fortran_order\": False, \"shape\": ( 2 , 1 ), }";
        Path f = dir.resolve("v2.npy");
        Files.write(f, file(2, dict, le(8, 11L, -3L)));
        NpyArray a = Npy.read(f);
        assertArrayEquals(new long[]{2, 1}, a.shape());
        assertArrayEquals(new long[]{11, -3}, a.longs());
    }

    @Test
    void read_notNpy_failsNamingFile() throws IOException {
        Path f = dir.resolve("text.npy");
        Files.writeString(f, "hello, this is not numpy");
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("text.npy") && e.getMessage().contains("not a .npy file"), e.getMessage());
    }

    @Test
    void read_bigEndian_failsListingSupportedTypes() throws IOException {
        Path f = dir.resolve("be.npy");
        Files.write(f, file(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]));
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("big-endian") && e.getMessage().contains("float32 (<f4)"), e.getMessage());
    }

    @Test
    void read_unsupportedType_failsNamingIt() throws IOException {
        Path f = dir.resolve("f16.npy");
        Files.write(f, file(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", new byte[4]));
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("'<f2'"), e.getMessage());
    }

    @Test
    void read_fortranOrder_fails() throws IOException {
        Path f = dir.resolve("fo.npy");
        Files.write(f, file(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", new byte[4]));
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("Fortran"), e.getMessage());
    }

    @Test
    void read_dataOfWrongSize_failsWithBothSizes() throws IOException {
        Path f = dir.resolve("short.npy");
        Files.write(f, file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", new byte[8]));
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("8 bytes") && e.getMessage().contains("needs 12"), e.getMessage());
    }

    @Test
    void read_unknownVersion_fails() throws IOException {
        Path f = dir.resolve("v9.npy");
        byte[] bytes = file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        bytes[6] = 9;
        Files.write(f, bytes);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("version 9.0"), e.getMessage());
    }

    @Test
    void read_missingFile_throwsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> Npy.read(dir.resolve("absent.npy")));
    }

    @Test
    void typedAccessor_wrongType_failsNamingBoth() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NpyArray.of(new double[]{1}, 1).floats());
        assertTrue(e.getMessage().contains("float64") && e.getMessage().contains("float32"), e.getMessage());
    }

    @Test
    void of_shapeNotMatchingValues_fails() {
        assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new float[5], 2, 3));
    }

    private static byte[] file(int major, String dict, byte[] data) {
        int prefix = major == 1 ? 10 : 12;
        StringBuilder h = new StringBuilder(dict);
        while ((prefix + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(major);
        out.write(0);
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len.putShort((short) h.length());
        } else {
            len.putInt(h.length());
        }
        out.writeBytes(len.array());
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] le(int width, long... values) {
        ByteBuffer b = ByteBuffer.allocate(width * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }
}
