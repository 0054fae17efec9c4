package sh.reform.local.infra;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Just enough of tar (ustar, GNU long names, pax paths) to unpack a server distribution. */
final class TarGz {

    private static final int BLOCK = 512;

    private TarGz() {
    }

    static void extract(Path archive, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16)) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (true) {
                if (!readBlock(in, header)) {
                    return;
                }
                if (isZero(header)) {
                    return; // end of archive
                }
                String name = string(header, 0, 100);
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                String magic = string(header, 257, 6);
                if (magic.startsWith("ustar")) {
                    String prefix = string(header, 345, 155);
                    if (!prefix.isEmpty()) {
                        name = prefix + "/" + name;
                    }
                }
                if (type == 'L') { // GNU long name: the next entry's name
                    longName = string(readData(in, size), 0, (int) size);
                    continue;
                }
                if (type == 'x') { // pax extended header: may carry the next entry's path
                    String path = paxPath(new String(readData(in, size), StandardCharsets.UTF_8));
                    if (path != null) {
                        longName = path;
                    }
                    continue;
                }
                if (type == 'g') {
                    readData(in, size);
                    continue;
                }
                if (longName != null) {
                    name = longName;
                    longName = null;
                }
                Path out = root.resolve(name).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("entry outside the target dir: " + name);
                }
                if (type == '5') {
                    Files.createDirectories(out);
                } else if (type == '0' || type == '\0' || type == '7') {
                    Files.createDirectories(out.getParent());
                    try (OutputStream os = Files.newOutputStream(out)) {
                        copy(in, os, size);
                    }
                    skipPadding(in, size);
                } else {
                    readData(in, size); // links and devices: a server distribution has none that matter
                }
            }
        }
    }

    private static String paxPath(String records) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        byte[] data = new byte[(int) size];
        readFully(in, data, data.length);
        skipPadding(in, size);
        return data;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("truncated tar entry");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void skipPadding(InputStream in, long size) throws IOException {
        long padding = (BLOCK - size % BLOCK) % BLOCK;
        readFully(in, new byte[(int) padding], (int) padding);
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int read = 0;
        while (read < block.length) {
            int n = in.read(block, read, block.length - read);
            if (n < 0) {
                if (read == 0) {
                    return false;
                }
                throw new EOFException("truncated tar header");
            }
            read += n;
        }
        return true;
    }

    private static void readFully(InputStream in, byte[] data, int length) throws IOException {
        int read = 0;
        while (read < length) {
            int n = in.read(data, read, length - read);
            if (n < 0) {
                throw new EOFException("truncated tar entry");
            }
            read += n;
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String string(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] bytes, int offset, int length) {
        if ((bytes[offset] & 0x80) != 0) { // GNU base-256 for large sizes
            long value = 0;
            for (int i = offset + 1; i < offset + length; i++) {
                value = (value << 8) | (bytes[i] & 0xff);
            }
            return value;
        }
        String text = string(bytes, offset, length).trim();
        return text.isEmpty() ? 0 : Long.parseLong(text, 8);
    }
}
