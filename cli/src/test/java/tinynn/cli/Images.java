package tinynn.cli;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import tinynn.data.image.PngDecoder;

/** Building and patching PNG and JPEG files byte by byte, and measuring what decoding them allocates. */
final class Images {
    private Images() {}

    /** A PNG chunk: length, type, data, CRC. */
    static byte[] chunk(String type, byte[] data) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        writeInt(o, data.length);
        o.writeBytes(t);
        o.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        writeInt(o, (int) crc.getValue());
        return o.toByteArray();
    }

    static byte[] ihdr(long width, long height, int depth, int colour, int interlace) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        writeInt(o, (int) width);
        writeInt(o, (int) height);
        o.writeBytes(new byte[] {(byte) depth, (byte) colour, 0, 0, (byte) interlace});
        return o.toByteArray();
    }

    static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(raw);
        d.finish();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) o.write(buf, 0, d.deflate(buf));
        d.end();
        return o.toByteArray();
    }

    /** A PNG with the given header and IDAT holding {@code zlib}. */
    static byte[] png(byte[] ihdr, byte[] zlib) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(PngDecoder.signature());
        o.writeBytes(chunk("IHDR", ihdr));
        o.writeBytes(chunk("IDAT", zlib));
        o.writeBytes(chunk("IEND", new byte[0]));
        return o.toByteArray();
    }

    /** An 8-bit greyscale PNG of width×height pixels of value {@code v}, filter 0 on every row. */
    static byte[] greyPng(int width, int height, int v) {
        byte[] raw = new byte[height * (width + 1)];
        for (int y = 0; y < height; y++) java.util.Arrays.fill(raw, y * (width + 1) + 1, (y + 1) * (width + 1), (byte) v);
        return png(ihdr(width, height, 8, 0, 0), deflate(raw));
    }

    /** Recomputes the CRC of every whole chunk, so byte changes inside chunks reach the decoder. */
    static void fixCrcs(byte[] png) {
        int pos = PngDecoder.signature().length;
        CRC32 crc = new CRC32();
        while (pos + 12 <= png.length) {
            long len = Integer.toUnsignedLong(readInt(png, pos));
            if (len > png.length - pos - 12) return;
            crc.reset();
            crc.update(png, pos + 4, 4 + (int) len);
            int at = pos + 8 + (int) len;
            writeInt(png, at, (int) crc.getValue());
            pos = at + 4;
        }
    }

    /** Offset of the first data byte of the segment with marker {@code marker} (0xFFxx), or -1. */
    static int segment(byte[] jpeg, int marker) {
        int pos = 2;
        while (pos + 4 <= jpeg.length && (jpeg[pos] & 0xFF) == 0xFF) {
            int m = jpeg[pos + 1] & 0xFF, len = (jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF);
            if (m == (marker & 0xFF)) return pos + 4;
            if (m == 0xDA) return -1;
            pos += 2 + len;
        }
        return -1;
    }

    /** Bytes allocated by this thread so far (HotSpot's per-thread counter). */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    static int readInt(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    static void writeInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    private static void writeInt(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }
}
