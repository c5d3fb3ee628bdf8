package tinynn.cli;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A small PNG decoder to greyscale, independent of AWT/ImageIO (which a native image may lack).
 * Handles every standard PNG: greyscale, RGB, palette, grey+alpha and RGBA; bit depths 1, 2, 4,
 * 8 and 16; all five filter types; Adam7 interlacing; tRNS transparency. Colour becomes luma
 * (0.299 R + 0.587 G + 0.114 B) and transparent pixels are composited over white, as a viewer
 * shows them. Ancillary chunks (gamma, colour profiles, text) are ignored.
 */
final class PngDecoder {
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** Refuse images that would need more than this many pixels (a corrupt or hostile header). */
    static final long MAX_PIXELS = 1L << 26;

    private PngDecoder() {}

    /** Greyscale pixels 0..255, row-major. */
    record Grey(int width, int height, float[] pixels) {}

    static boolean isPng(byte[] b) {
        if (b.length < SIGNATURE.length) return false;
        for (int i = 0; i < SIGNATURE.length; i++) if (b[i] != SIGNATURE[i]) return false;
        return true;
    }

    /** Decodes; problems are IllegalArgumentExceptions whose message says what is wrong (without the file name). */
    static Grey decode(byte[] file) {
        if (!isPng(file)) throw new IllegalArgumentException("not a PNG file (bad signature)");
        ByteBuffer in = ByteBuffer.wrap(file);
        in.position(SIGNATURE.length);
        int width = 0, height = 0, depth = 0, colour = -1, interlace = 0;
        byte[] palette = null, trns = null;
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        boolean header = false, end = false;
        CRC32 crc = new CRC32();
        while (!end) {
            if (in.remaining() < 12) throw new IllegalArgumentException("truncated PNG (no IEND chunk)");
            int len = in.getInt();
            if (len < 0 || len > in.remaining() - 8) throw new IllegalArgumentException("truncated or corrupt PNG chunk");
            int typeStart = in.position();
            byte[] typeBytes = new byte[4];
            in.get(typeBytes);
            String type = new String(typeBytes, java.nio.charset.StandardCharsets.ISO_8859_1);
            byte[] data = new byte[len];
            in.get(data);
            crc.reset();
            crc.update(file, typeStart, 4 + len);
            if ((int) crc.getValue() != in.getInt()) throw new IllegalArgumentException("corrupt PNG: CRC mismatch in " + type + " chunk");
            if (!header && !type.equals("IHDR")) throw new IllegalArgumentException("corrupt PNG: first chunk is " + type + ", not IHDR");
            switch (type) {
                case "IHDR" -> {
                    if (len != 13) throw new IllegalArgumentException("corrupt PNG: IHDR has " + len + " bytes");
                    ByteBuffer h = ByteBuffer.wrap(data);
                    width = h.getInt();
                    height = h.getInt();
                    depth = data[8] & 0xFF;
                    colour = data[9] & 0xFF;
                    if (data[10] != 0 || data[11] != 0) throw new IllegalArgumentException("unsupported PNG compression/filter method");
                    interlace = data[12] & 0xFF;
                    if (width <= 0 || height <= 0) throw new IllegalArgumentException("PNG has no pixels (" + width + "x" + height + ")");
                    if ((long) width * height > MAX_PIXELS) throw new IllegalArgumentException("PNG is too large (" + width + "x" + height + ")");
                    if (!validDepth(colour, depth)) throw new IllegalArgumentException("invalid PNG colour type " + colour + " with bit depth " + depth);
                    if (interlace > 1) throw new IllegalArgumentException("unknown PNG interlace method " + interlace);
                    header = true;
                }
                case "PLTE" -> palette = data;
                case "tRNS" -> trns = data;
                case "IDAT" -> idat.write(data, 0, data.length);
                case "IEND" -> end = true;
                default -> {
                    if ((typeBytes[0] & 0x20) == 0) throw new IllegalArgumentException("unsupported critical PNG chunk " + type);
                }
            }
        }
        if (colour == 3 && palette == null) throw new IllegalArgumentException("corrupt PNG: palette image without PLTE");
        int channels = switch (colour) { case 0 -> 1; case 2 -> 3; case 3 -> 1; case 4 -> 2; case 6 -> 4; default -> 0; };
        int bitsPerPixel = channels * depth;
        byte[] raw = inflate(idat.toByteArray(), expectedSize(width, height, bitsPerPixel, interlace));
        float[] grey = new float[width * height];
        Pixels px = new Pixels(colour, depth, palette, trns);
        if (interlace == 0) {
            int consumed = unfilterAndStore(raw, 0, width, height, bitsPerPixel, px, grey, width, 0, 0, 1, 1);
            if (consumed > raw.length) throw new IllegalArgumentException("truncated PNG image data");
        } else {
            int[][] passes = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
            int off = 0;
            for (int[] p : passes) {
                int pw = (width - p[0] + p[2] - 1) / p[2], ph = (height - p[1] + p[3] - 1) / p[3];
                if (pw <= 0 || ph <= 0) continue;
                off = unfilterAndStore(raw, off, pw, ph, bitsPerPixel, px, grey, width, p[0], p[1], p[2], p[3]);
            }
        }
        return new Grey(width, height, grey);
    }

    private static boolean validDepth(int colour, int depth) {
        return switch (colour) {
            case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
            case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
            case 2, 4, 6 -> depth == 8 || depth == 16;
            default -> false;
        };
    }

    private static long expectedSize(int w, int h, int bpp, int interlace) {
        if (interlace == 0) return (long) h * (1 + ((long) w * bpp + 7) / 8);
        long total = 0;
        int[][] passes = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
        for (int[] p : passes) {
            long pw = (w - p[0] + p[2] - 1) / p[2], ph = (h - p[1] + p[3] - 1) / p[3];
            if (pw > 0 && ph > 0) total += ph * (1 + (pw * bpp + 7) / 8);
        }
        return total;
    }

    private static byte[] inflate(byte[] z, long expected) {
        if (expected > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("PNG is too large");
        Inflater inf = new Inflater();
        try {
            inf.setInput(z);
            byte[] out = new byte[(int) expected];
            int n = 0;
            while (n < out.length) {
                int r = inf.inflate(out, n, out.length - n);
                if (r == 0) {
                    if (inf.finished() || inf.needsInput()) break;
                    if (inf.needsDictionary()) throw new IllegalArgumentException("corrupt PNG image data (needs a dictionary)");
                }
                n += r;
            }
            if (n < out.length) throw new IllegalArgumentException("truncated PNG image data (" + n + " of " + out.length + " bytes)");
            return out;
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt PNG image data (" + e.getMessage() + ")");
        } finally {
            inf.end();
        }
    }

    /** Unfilters one (sub)image starting at raw[off] and stores its pixels; returns the offset after it. */
    private static int unfilterAndStore(byte[] raw, int off, int w, int h, int bitsPerPixel, Pixels px, float[] grey,
                                        int fullWidth, int x0, int y0, int dx, int dy) {
        int stride = (w * bitsPerPixel + 7) / 8;
        int bpp = Math.max(1, bitsPerPixel / 8);
        byte[] prev = new byte[stride], cur = new byte[stride];
        for (int y = 0; y < h; y++) {
            int filter = raw[off] & 0xFF;
            System.arraycopy(raw, off + 1, cur, 0, stride);
            off += 1 + stride;
            switch (filter) {
                case 0 -> { }
                case 1 -> { for (int i = bpp; i < stride; i++) cur[i] += cur[i - bpp]; }
                case 2 -> { for (int i = 0; i < stride; i++) cur[i] += prev[i]; }
                case 3 -> {
                    for (int i = 0; i < stride; i++) {
                        int left = i >= bpp ? cur[i - bpp] & 0xFF : 0;
                        cur[i] += (byte) ((left + (prev[i] & 0xFF)) >>> 1);
                    }
                }
                case 4 -> {
                    for (int i = 0; i < stride; i++) {
                        int a = i >= bpp ? cur[i - bpp] & 0xFF : 0, b = prev[i] & 0xFF, c = i >= bpp ? prev[i - bpp] & 0xFF : 0;
                        int p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
                        cur[i] += (byte) (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                    }
                }
                default -> throw new IllegalArgumentException("corrupt PNG: unknown filter type " + filter + " in row " + y);
            }
            int row = (y0 + y * dy) * fullWidth;
            for (int x = 0; x < w; x++) grey[row + x0 + x * dx] = px.grey(cur, x);
            byte[] t = prev; prev = cur; cur = t;
        }
        return off;
    }

    /** Sample extraction and conversion to composited luma for one colour type/depth. */
    private record Pixels(int colour, int depth, byte[] palette, byte[] trns) {

        float grey(byte[] row, int x) {
            return switch (colour) {
                case 0 -> {
                    int v = sample(row, x, 0, 1);
                    float g = scale(v);
                    if (trns != null && trns.length >= 2 && v == ((trns[0] & 0xFF) << 8 | (trns[1] & 0xFF))) yield 255f;
                    yield g;
                }
                case 2 -> {
                    int r = sample(row, x, 0, 3), g = sample(row, x, 1, 3), b = sample(row, x, 2, 3);
                    if (trns != null && trns.length >= 6 && r == u16(trns, 0) && g == u16(trns, 2) && b == u16(trns, 4)) yield 255f;
                    yield luma(scale(r), scale(g), scale(b));
                }
                case 3 -> {
                    int i = sample(row, x, 0, 1);
                    if (3 * i + 2 >= palette.length) throw new IllegalArgumentException("corrupt PNG: palette index " + i + " out of range");
                    float l = luma(palette[3 * i] & 0xFF, palette[3 * i + 1] & 0xFF, palette[3 * i + 2] & 0xFF);
                    float a = trns != null && i < trns.length ? (trns[i] & 0xFF) / 255f : 1f;
                    yield over(l, a);
                }
                case 4 -> over(scale(sample(row, x, 0, 2)), scale(sample(row, x, 1, 2)) / 255f);
                default -> {
                    float l = luma(scale(sample(row, x, 0, 4)), scale(sample(row, x, 1, 4)), scale(sample(row, x, 2, 4)));
                    yield over(l, scale(sample(row, x, 3, 4)) / 255f);
                }
            };
        }

        /** Channel c of pixel x, as an unsigned integer of the image's bit depth. */
        int sample(byte[] row, int x, int c, int channels) {
            return switch (depth) {
                case 8 -> row[x * channels + c] & 0xFF;
                case 16 -> u16(row, 2 * (x * channels + c));
                default -> {
                    int bit = x * depth;
                    int shift = 8 - depth - (bit & 7);
                    yield ((row[bit >>> 3] & 0xFF) >>> shift) & ((1 << depth) - 1);
                }
            };
        }

        float scale(int v) {
            return switch (depth) {
                case 16 -> v / 257f;
                case 8 -> v;
                default -> v * 255f / ((1 << depth) - 1);
            };
        }

        static int u16(byte[] b, int i) { return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF); }

        static float luma(float r, float g, float b) { return 0.299f * r + 0.587f * g + 0.114f * b; }

        /** Composited over a white background. */
        static float over(float v, float alpha) { return v * alpha + 255f * (1 - alpha); }
    }
}
