package io.seqbench.kernels.cuda;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes little-endian float32 .npy files (NumPy format 1.0), for cross-checks with the PyTorch script. */
final class Npy {

    private Npy() {
    }

    static void writeFloat32(Path file, float[] values, long... shape) throws IOException {
        long count = 1;
        for (long s : shape) {
            count *= s;
        }
        if (count != values.length) {
            throw new IllegalArgumentException(file + ": shape has " + count + " elements, array " + values.length);
        }
        StringBuilder dims = new StringBuilder();
        for (long s : shape) {
            dims.append(s).append(", ");
        }
        String dimText = shape.length == 1 ? shape[0] + "," : dims.substring(0, dims.length() - 2);
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dimText + "), }";
        int total = 10 + header.length() + 1;
        int padded = (total + 63) / 64 * 64;
        header = header + " ".repeat(padded - total) + "\n";
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             DataOutputStream out = new DataOutputStream(os)) {
            out.write(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            byte[] h = header.getBytes(StandardCharsets.US_ASCII);
            out.write(h.length & 0xff);
            out.write((h.length >> 8) & 0xff);
            out.write(h);
            byte[] buf = new byte[4 * 4096];
            for (int i = 0; i < values.length; i += 4096) {
                int n = Math.min(4096, values.length - i);
                for (int k = 0; k < n; k++) {
                    int bits = Float.floatToRawIntBits(values[i + k]);
                    buf[4 * k] = (byte) bits;
                    buf[4 * k + 1] = (byte) (bits >> 8);
                    buf[4 * k + 2] = (byte) (bits >> 16);
                    buf[4 * k + 3] = (byte) (bits >> 24);
                }
                out.write(buf, 0, 4 * n);
            }
        }
    }
}
