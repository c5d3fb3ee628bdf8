package tinynn.data.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes 8-bit greyscale and RGB PNGs: signature, IHDR, one IDAT of filter-0 scanlines, IEND. No AWT, so it works in
 * the native binary; {@link PngDecoder} reads what it writes.
 */
public final class PngEncoder {
    private static final int GREY = 0, RGB = 2;

    private PngEncoder() {}

    /** {@code grey} holds {@code w·h} bytes, row by row. */
    public static byte[] grey(int w, int h, byte[] grey) {
        byte[] raw = new byte[h * (1 + w)];
        for (int y = 0; y < h; y++) System.arraycopy(grey, y * w, raw, y * (1 + w) + 1, w);
        return png(w, h, GREY, raw);
    }

    /** {@code rgb} holds {@code w·h} pixels as 0xRRGGBB, row by row. */
    public static byte[] rgb(int w, int h, int[] rgb) {
        byte[] raw = new byte[h * (1 + 3 * w)];
        int k = 0;
        for (int y = 0; y < h; y++) {
            raw[k++] = 0;
            for (int x = 0; x < w; x++) {
                int p = rgb[y * w + x];
                raw[k++] = (byte) (p >>> 16);
                raw[k++] = (byte) (p >>> 8);
                raw[k++] = (byte) p;
            }
        }
        return png(w, h, RGB, raw);
    }

    private static byte[] png(int w, int h, int colourType, byte[] scanlines) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(scanlines);
        d.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) z.write(buf, 0, d.deflate(buf));
        d.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) colourType)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
