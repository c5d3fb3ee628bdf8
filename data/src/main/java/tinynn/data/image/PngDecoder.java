package tinynn.data.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import tinynn.data.DataException;

/**
 * A small PNG decoder to greyscale or RGB, independent of AWT/ImageIO (which a native image may lack).
 * Handles every standard PNG: greyscale, RGB, palette, grey+alpha and RGBA; bit depths 1, 2, 4,
 * 8 and 16; all five filter types; Adam7 interlacing; tRNS transparency. For greyscale, colour becomes
 * luma (0.299 R + 0.587 G + 0.114 B); for RGB, grey is replicated to the three channels. Transparent
 * pixels are composited over white, as a viewer shows them. Ancillary chunks (gamma, colour profiles,
 * text) are ignored.
 *
 * <p>Every malformed file is a {@link DataException} naming it. Memory is the output (4 bytes a pixel, 12 in RGB)
 * plus two rows: the compressed data is first inflated without being kept, to prove it holds
 * the declared image, so a tiny file claiming a huge size (or a zlib bomb) allocates nothing big.
 */
public final class PngDecoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int[][] ADAM7 = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};

    private PngDecoder() {}

    /** The eight bytes every PNG file starts with. */
    public static byte[] signature() { return SIGNATURE.clone(); }

    public static boolean isPng(byte[] b) {
        if (b.length < SIGNATURE.length) return false;
        for (int i = 0; i < SIGNATURE.length; i++) if (b[i] != SIGNATURE[i]) return false;
        return true;
    }

    private static DataException fail(String name, String what) { return new DataException(name + ": " + what); }

    private static int u32(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    /** Decodes {@code file} to greyscale, called {@code name} in messages. */
    public static GreyImage decode(String name, byte[] file) { return decode(name, file, false).greyImage(); }

    /** Decodes {@code file} to RGB, called {@code name} in messages. */
    public static RgbImage decodeRgb(String name, byte[] file) { return decode(name, file, true).rgbImage(); }

    private static Raster decode(String name, byte[] file, boolean rgb) {
        if (!isPng(file)) throw fail(name, "not a PNG file (bad signature)");
        int width = 0, height = 0, depth = 0, colour = -1, interlace = 0;
        byte[] palette = null, trns = null;
        List<int[]> idat = new ArrayList<>(); // {offset, length} of each IDAT chunk's data
        boolean header = false;
        CRC32 crc = new CRC32();
        int pos = SIGNATURE.length;
        for (boolean end = false; !end; ) {
            if (file.length - pos < 12) throw fail(name, "truncated PNG (no IEND chunk)");
            int len = u32(file, pos), typeAt = pos + 4, at = pos + 8;
            if (len < 0 || len > file.length - pos - 12) {
                throw fail(name, "truncated or corrupt PNG: a chunk at byte " + pos + " claims " + Integer.toUnsignedString(len) + " bytes");
            }
            String type = new String(file, typeAt, 4, StandardCharsets.ISO_8859_1);
            crc.reset();
            crc.update(file, typeAt, 4 + len);
            if ((int) crc.getValue() != u32(file, at + len)) throw fail(name, "corrupt PNG: CRC mismatch in chunk '" + printable(type) + "'");
            pos = at + len + 4;
            if (!header && !type.equals("IHDR")) throw fail(name, "corrupt PNG: first chunk is '" + printable(type) + "', not IHDR");
            switch (type) {
                case "IHDR" -> {
                    if (header) throw fail(name, "corrupt PNG: two IHDR chunks");
                    if (len != 13) throw fail(name, "corrupt PNG: IHDR has " + len + " bytes, not 13");
                    ImageDecoder.checkSize(name, "PNG", Integer.toUnsignedLong(u32(file, at)), Integer.toUnsignedLong(u32(file, at + 4)));
                    width = u32(file, at);
                    height = u32(file, at + 4);
                    depth = file[at + 8] & 0xFF;
                    colour = file[at + 9] & 0xFF;
                    if (file[at + 10] != 0 || file[at + 11] != 0) throw fail(name, "unsupported PNG compression/filter method");
                    interlace = file[at + 12] & 0xFF;
                    if (!validDepth(colour, depth)) throw fail(name, "invalid PNG colour type " + colour + " with bit depth " + depth);
                    if (interlace > 1) throw fail(name, "unknown PNG interlace method " + interlace);
                    header = true;
                }
                case "PLTE" -> {
                    if (len == 0 || len % 3 != 0 || len > 3 * 256) throw fail(name, "corrupt PNG: PLTE has " + len + " bytes");
                    palette = Arrays.copyOfRange(file, at, at + len);
                }
                case "tRNS" -> trns = Arrays.copyOfRange(file, at, at + Math.min(len, 256));
                case "IDAT" -> idat.add(new int[] {at, len});
                case "IEND" -> end = true;
                default -> {
                    if ((file[typeAt] & 0x20) == 0) throw fail(name, "unsupported critical PNG chunk '" + printable(type) + "'");
                }
            }
        }
        if (colour == 3 && palette == null) throw fail(name, "corrupt PNG: palette image without PLTE");
        int channels = switch (colour) { case 0, 3 -> 1; case 2 -> 3; case 4 -> 2; default -> 4; };
        int bitsPerPixel = channels * depth;
        long expected = rawSize(width, height, bitsPerPixel, interlace);

        // Pass 1: prove the data inflates to the declared size, keeping nothing.
        Idat counting = new Idat(name, file, idat);
        byte[] scratch = new byte[(int) Math.min(expected, 1 << 16)];
        try {
            for (long left = expected; left > 0; ) {
                int n = (int) Math.min(left, scratch.length);
                counting.readFully(scratch, n, expected - left);
                left -= n;
            }
        } finally {
            counting.end();
        }

        // Pass 2: decode row by row into the output.
        Raster out = new Raster(width, height, rgb);
        Pixels px = new Pixels(name, colour, depth, palette, trns);
        Idat in = new Idat(name, file, idat);
        try {
            if (interlace == 0) {
                unfilterAndStore(in, width, height, bitsPerPixel, px, out, width, 0, 0, 1, 1);
            } else {
                for (int[] p : ADAM7) {
                    int pw = (width - p[0] + p[2] - 1) / p[2], ph = (height - p[1] + p[3] - 1) / p[3];
                    if (pw > 0 && ph > 0) unfilterAndStore(in, pw, ph, bitsPerPixel, px, out, width, p[0], p[1], p[2], p[3]);
                }
            }
        } finally {
            in.end();
        }
        return out;
    }

    /** A chunk type for a message: its letters, or hex when it is binary garbage. */
    private static String printable(String type) {
        if (type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return type;
        StringBuilder sb = new StringBuilder("0x");
        for (char c : type.toCharArray()) sb.append(String.format("%02x", (int) c));
        return sb.toString();
    }

    private static boolean validDepth(int colour, int depth) {
        return switch (colour) {
            case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
            case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
            case 2, 4, 6 -> depth == 8 || depth == 16;
            default -> false;
        };
    }

    /** Bytes of filtered image data the header implies (filter byte + packed samples, per row and pass). */
    private static long rawSize(int w, int h, int bpp, int interlace) {
        if (interlace == 0) return (long) h * (1 + ((long) w * bpp + 7) / 8);
        long total = 0;
        for (int[] p : ADAM7) {
            long pw = (w - p[0] + p[2] - 1) / p[2], ph = (h - p[1] + p[3] - 1) / p[3];
            if (pw > 0 && ph > 0) total += ph * (1 + (pw * bpp + 7) / 8);
        }
        return total;
    }

    /** The zlib stream spread over the IDAT chunks, inflated on demand. */
    private static final class Idat {
        final String name;
        final byte[] file;
        final List<int[]> chunks;
        final Inflater inflater = new Inflater();
        int next;

        Idat(String name, byte[] file, List<int[]> chunks) {
            this.name = name;
            this.file = file;
            this.chunks = chunks;
        }

        /** Fills b[0, len) with the next inflated bytes; {@code done} (bytes already read) is for the message. */
        void readFully(byte[] b, int len, long done) {
            int off = 0;
            while (off < len) {
                int n;
                try {
                    n = inflater.inflate(b, off, len - off);
                } catch (DataFormatException e) {
                    throw fail(name, "corrupt PNG image data (" + e.getMessage() + ")");
                }
                if (n == 0) {
                    if (inflater.needsDictionary()) throw fail(name, "corrupt PNG image data (needs a dictionary)");
                    if (inflater.needsInput() && next < chunks.size()) {
                        int[] c = chunks.get(next++);
                        inflater.setInput(file, c[0], c[1]);
                        continue;
                    }
                    throw fail(name, "truncated PNG image data (it ends after " + (done + off) + " bytes)");
                }
                off += n;
            }
        }

        void end() { inflater.end(); }
    }

    /** Unfilters one (sub)image from {@code in} and stores its pixels. */
    private static void unfilterAndStore(Idat in, int w, int h, int bitsPerPixel, Pixels px, Raster out,
                                         int fullWidth, int x0, int y0, int dx, int dy) {
        int stride = (int) (((long) w * bitsPerPixel + 7) / 8);
        int bpp = Math.max(1, bitsPerPixel / 8);
        byte[] prev = new byte[stride + 1], cur = new byte[stride + 1]; // [0] is the filter byte
        for (int y = 0; y < h; y++) {
            in.readFully(cur, stride + 1, 0);
            int filter = cur[0] & 0xFF;
            switch (filter) {
                case 0 -> { }
                case 1 -> { for (int i = 1 + bpp; i <= stride; i++) cur[i] += cur[i - bpp]; }
                case 2 -> { for (int i = 1; i <= stride; i++) cur[i] += prev[i]; }
                case 3 -> {
                    for (int i = 1; i <= stride; i++) {
                        int left = i > bpp ? cur[i - bpp] & 0xFF : 0;
                        cur[i] += (byte) ((left + (prev[i] & 0xFF)) >>> 1);
                    }
                }
                case 4 -> {
                    for (int i = 1; i <= stride; i++) {
                        int a = i > bpp ? cur[i - bpp] & 0xFF : 0, b = prev[i] & 0xFF, c = i > bpp ? prev[i - bpp] & 0xFF : 0;
                        int p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
                        cur[i] += (byte) (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                    }
                }
                default -> throw fail(px.name(), "corrupt PNG: unknown filter type " + filter + " in row " + y);
            }
            int row = (y0 + y * dy) * fullWidth;
            for (int x = 0; x < w; x++) px.store(cur, x, out, row + x0 + x * dx);
            byte[] t = prev; prev = cur; cur = t;
        }
    }

    /** Sample extraction for one colour type/depth, each pixel handed to the raster as grey or RGB with alpha; rows start at index 1. */
    private record Pixels(String name, int colour, int depth, byte[] palette, byte[] trns) {

        void store(byte[] row, int x, Raster out, int i) {
            switch (colour) {
                case 0 -> {
                    int v = sample(row, x, 0, 1);
                    out.grey(i, trns != null && trns.length >= 2 && v == u16(trns, 0) ? 255f : scale(v));
                }
                case 2 -> {
                    int r = sample(row, x, 0, 3), g = sample(row, x, 1, 3), b = sample(row, x, 2, 3);
                    if (trns != null && trns.length >= 6 && r == u16(trns, 0) && g == u16(trns, 2) && b == u16(trns, 4)) out.grey(i, 255f);
                    else out.rgb(i, scale(r), scale(g), scale(b), 1f);
                }
                case 3 -> {
                    int p = sample(row, x, 0, 1);
                    if (3 * p + 2 >= palette.length) throw fail(name, "corrupt PNG: palette index " + p + " out of range");
                    float a = trns != null && p < trns.length ? (trns[p] & 0xFF) / 255f : 1f;
                    out.rgb(i, palette[3 * p] & 0xFF, palette[3 * p + 1] & 0xFF, palette[3 * p + 2] & 0xFF, a);
                }
                case 4 -> out.grey(i, Raster.over(scale(sample(row, x, 0, 2)), scale(sample(row, x, 1, 2)) / 255f));
                default -> out.rgb(i, scale(sample(row, x, 0, 4)), scale(sample(row, x, 1, 4)), scale(sample(row, x, 2, 4)),
                        scale(sample(row, x, 3, 4)) / 255f);
            }
        }

        /** Channel c of pixel x, as an unsigned integer of the image's bit depth. */
        int sample(byte[] row, int x, int c, int channels) {
            return switch (depth) {
                case 8 -> row[1 + x * channels + c] & 0xFF;
                case 16 -> u16(row, 1 + 2 * (x * channels + c));
                default -> {
                    int bit = x * depth;
                    int shift = 8 - depth - (bit & 7);
                    yield ((row[1 + (bit >>> 3)] & 0xFF) >>> shift) & ((1 << depth) - 1);
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
    }
}
