package tinynn.data.image;

import java.util.Arrays;
import tinynn.data.DataException;

/**
 * A small sequential (baseline and extended, Huffman-coded, 8-bit) JPEG decoder to greyscale or RGB,
 * independent of AWT/ImageIO. Handles 1 (grey) and 3 (YCbCr, or RGB with an Adobe marker)
 * components, any sampling factors, interleaved and single-component scans and restart
 * intervals. Progressive, lossless, arithmetic-coded, 12-bit and CMYK files are refused with a
 * message saying so.
 *
 * <p>Colour is converted with JFIF's YCbCr equations; chroma is upsampled by repeating samples. For
 * greyscale the luma is Y itself, so a grey decoding reads only the Y component of a YCbCr file.
 *
 * <p>Every malformed file is a {@link DataException} naming it. Blocks are transformed as they are
 * decoded into one byte a pixel per needed component (luma only, unless the file is RGB or colour is wanted). Since
 * every block takes at least two bits, a scan is refused before anything is allocated when the
 * rest of the file is too short for it, and image data that runs out is an error rather than
 * zeros: memory and time stay proportional to the file.
 */
public final class JpegDecoder {

    private static final int[] ZIGZAG = {
            0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
            28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
            54, 47, 55, 62, 63};

    private static final double[][] COS = new double[8][8];

    static {
        for (int x = 0; x < 8; x++) {
            for (int u = 0; u < 8; u++) {
                COS[x][u] = (u == 0 ? Math.sqrt(0.5) : 1.0) * Math.cos((2 * x + 1) * u * Math.PI / 16) / 2;
            }
        }
    }

    private static final class Component {
        int id, h, v, tq;
        int td, ta; // Huffman table selectors of its scan
        int pred;
        int bw, bh; // blocks per line / column, padded to whole MCUs
        boolean scanned;
        byte[] plane; // bw*8 × bh*8 samples; null when the component is not needed (chroma, for grey)
    }

    private static final class Huffman {
        final int[] maxcode = new int[18], valptr = new int[17], mincode = new int[17];
        final int[] values;

        Huffman(int[] counts, int[] values) {
            this.values = values;
            int code = 0, k = 0;
            for (int len = 1; len <= 16; len++) {
                valptr[len] = k;
                mincode[len] = code;
                code += counts[len];
                k += counts[len];
                maxcode[len] = counts[len] > 0 ? code - 1 : -1;
                code <<= 1;
            }
            maxcode[17] = Integer.MAX_VALUE;
        }
    }

    private final String name;
    private final byte[] d;
    private final int[][] qt = new int[4][];
    private final Huffman[] dc = new Huffman[4], ac = new Huffman[4];
    private final int[] block = new int[64];
    private final double[] tmp = new double[64];
    private Component[] comps;
    private int width, height, hmax = 1, vmax = 1, mcusX, mcusY, restartInterval, adobeTransform = -1;
    private Boolean rgb; // whether the file stores RGB rather than YCbCr; decided at the first scan
    private final boolean colour; // whether the caller wants RGB

    private JpegDecoder(String name, byte[] d, boolean colour) {
        this.name = name;
        this.d = d;
        this.colour = colour;
    }

    private DataException fail(String what) { return new DataException(name + ": " + what); }

    private int u16(int i) { return ((d[i] & 0xFF) << 8) | (d[i + 1] & 0xFF); }

    public static boolean isJpeg(byte[] b) {
        return b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF;
    }

    /** Decodes {@code file} to greyscale, called {@code name} in messages. */
    public static GreyImage decode(String name, byte[] file) {
        return new JpegDecoder(name, file, false).decode().greyImage();
    }

    /** Decodes {@code file} to RGB, called {@code name} in messages. */
    public static RgbImage decodeRgb(String name, byte[] file) {
        return new JpegDecoder(name, file, true).decode().rgbImage();
    }

    private Raster decode() {
        if (d.length < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != 0xD8) throw fail("not a JPEG file");
        boolean anyScan = false;
        int pos = 2;
        while (pos + 2 <= d.length) {
            if ((d[pos] & 0xFF) != 0xFF) { pos++; continue; }
            int m = d[pos + 1] & 0xFF;
            if (m == 0xFF) { pos++; continue; }
            pos += 2;
            if (m == 0xD9) break; // EOI
            if (m >= 0xD0 && m <= 0xD7 || m == 0x01 || m == 0x00) continue; // no segment follows
            if (pos + 2 > d.length) throw fail("truncated JPEG (a segment runs past the end)");
            int len = u16(pos), end = pos + len;
            if (len < 2 || end > d.length) throw fail("truncated JPEG (a segment runs past the end)");
            int p = pos + 2;
            switch (m) {
                case 0xDB -> quantisationTables(p, end);
                case 0xC4 -> huffmanTables(p, end);
                case 0xDD -> {
                    if (len != 4) throw fail("corrupt JPEG: restart interval segment of " + len + " bytes");
                    restartInterval = u16(p);
                }
                case 0xEE -> {
                    if (len >= 14 && d[p] == 'A' && d[p + 1] == 'd' && d[p + 2] == 'o' && d[p + 3] == 'b' && d[p + 4] == 'e') adobeTransform = d[p + 11] & 0xFF;
                }
                case 0xC0, 0xC1 -> frame(p, end);
                case 0xC2, 0xC6, 0xCA, 0xCE -> throw fail("progressive JPEG is not supported; save it as baseline JPEG or PNG");
                case 0xC3, 0xC5, 0xC7, 0xC9, 0xCB, 0xCD, 0xCF -> throw fail("lossless/hierarchical/arithmetic-coded JPEG is not supported; convert it to PNG");
                case 0xDA -> {
                    pos = scan(p, end);
                    anyScan = true;
                    continue;
                }
                default -> { }
            }
            pos = end;
        }
        if (!anyScan) throw fail("truncated JPEG (no image data)");
        return toRaster();
    }

    private void quantisationTables(int p, int end) {
        while (p < end) {
            int pq = (d[p] & 0xFF) >> 4, tq = d[p] & 0x0F;
            p++;
            if (pq > 1 || tq > 3) throw fail("corrupt JPEG: quantisation table " + tq + " of precision " + pq + " (ids are 0..3, precisions 0..1)");
            if (p + 64 * (pq + 1) > end) throw fail("corrupt JPEG: quantisation table runs past its segment");
            int[] t = new int[64];
            for (int i = 0; i < 64; i++) {
                t[ZIGZAG[i]] = pq == 0 ? d[p++] & 0xFF : ((d[p++] & 0xFF) << 8) | (d[p++] & 0xFF);
            }
            qt[tq] = t;
        }
    }

    private void huffmanTables(int p, int end) {
        while (p < end) {
            if (p + 17 > end) throw fail("corrupt JPEG: Huffman table runs past its segment");
            int tc = (d[p] & 0xFF) >> 4, th = d[p] & 0x0F;
            p++;
            if (tc > 1 || th > 3) throw fail("corrupt JPEG: Huffman table of class " + tc + " and id " + th + " (classes are 0..1, ids 0..3)");
            int[] counts = new int[17];
            int total = 0;
            long code = 0;
            for (int i = 1; i <= 16; i++) {
                total += counts[i] = d[p++] & 0xFF;
                code += counts[i];
                if (code > 1L << i) throw fail("corrupt JPEG: Huffman table " + th + " has more codes than fit their lengths");
                code <<= 1;
            }
            if (total > 256 || p + total > end) throw fail("corrupt JPEG: Huffman table runs past its segment");
            int[] vals = new int[total];
            for (int i = 0; i < total; i++) vals[i] = d[p++] & 0xFF;
            (tc == 0 ? dc : ac)[th] = new Huffman(counts, vals);
        }
    }

    private void frame(int p, int end) {
        if (comps != null) throw fail("corrupt JPEG: two frame headers");
        if (end - p < 6) throw fail("corrupt JPEG: frame header of " + (end - p + 2) + " bytes");
        if ((d[p] & 0xFF) != 8) throw fail((d[p] & 0xFF) + "-bit JPEG is not supported (8-bit only); convert it to PNG");
        height = u16(p + 1);
        width = u16(p + 3);
        int n = d[p + 5] & 0xFF;
        if (height == 0) throw fail("JPEG without a size (DNL marker) is not supported");
        ImageDecoder.checkSize(name, "JPEG", width, height);
        if (n != 1 && n != 3) throw fail("JPEG with " + n + " colour components (CMYK?) is not supported; convert it to PNG");
        if (end - p < 6 + 3 * n) throw fail("corrupt JPEG: frame header too short for " + n + " components");
        Component[] cs = new Component[n];
        for (int i = 0; i < n; i++) {
            Component c = cs[i] = new Component();
            int q = p + 6 + 3 * i;
            c.id = d[q] & 0xFF;
            c.h = (d[q + 1] & 0xFF) >> 4;
            c.v = d[q + 1] & 0x0F;
            c.tq = d[q + 2] & 0xFF;
            for (int j = 0; j < i; j++) if (cs[j].id == c.id) throw fail("corrupt JPEG: two components with id " + c.id);
            if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4) throw fail("corrupt JPEG: sampling factors " + c.h + "x" + c.v + " (1..4 each)");
            if (c.tq > 3) throw fail("corrupt JPEG: component " + c.id + " names quantisation table " + c.tq + " (ids are 0..3)");
            hmax = Math.max(hmax, c.h);
            vmax = Math.max(vmax, c.v);
        }
        mcusX = (width + 8 * hmax - 1) / (8 * hmax);
        mcusY = (height + 8 * vmax - 1) / (8 * vmax);
        for (Component c : cs) {
            c.bw = mcusX * c.h;
            c.bh = mcusY * c.v;
        }
        comps = cs;
    }

    /** Reads a scan header at p (segment end {@code end}) and its image data; returns where marker parsing resumes. */
    private int scan(int p, int end) {
        if (comps == null) throw fail("corrupt JPEG: scan before frame header");
        if (end - p < 1) throw fail("corrupt JPEG: empty scan header");
        int ns = d[p] & 0xFF;
        if (ns < 1 || ns > comps.length || end - p != 4 + 2 * ns) throw fail("corrupt JPEG: scan header for " + ns + " components");
        Component[] scan = new Component[ns];
        long blocks = 0;
        for (int i = 0; i < ns; i++) {
            int id = d[p + 1 + 2 * i] & 0xFF, tables = d[p + 2 + 2 * i] & 0xFF;
            for (Component c : comps) if (c.id == id) scan[i] = c;
            Component c = scan[i];
            if (c == null) throw fail("corrupt JPEG: scan names unknown component " + id);
            if (c.scanned) throw fail("corrupt JPEG: component " + id + " is in two scans");
            c.scanned = true;
            c.td = tables >> 4;
            c.ta = tables & 0x0F;
            if (c.td > 3 || c.ta > 3) throw fail("corrupt JPEG: scan names Huffman tables " + c.td + "/" + c.ta + " (ids are 0..3)");
            if (dc[c.td] == null || ac[c.ta] == null) throw fail("corrupt JPEG: scan uses Huffman table " + (dc[c.td] == null ? c.td : c.ta) + ", which is not defined");
            if (qt[c.tq] == null) throw fail("corrupt JPEG: missing quantisation table " + c.tq);
            blocks += ns == 1 ? (long) blocksX(c) * blocksY(c) : (long) mcusX * mcusY * c.h * c.v;
        }
        // Each block takes at least 2 bits (a DC and an AC code): refuse before allocating when the data cannot be there.
        long bits = 8L * (d.length - end);
        if (2 * blocks > bits) {
            throw fail("truncated JPEG: a " + width + "x" + height + " image needs at least " + (2 * blocks + 7) / 8
                    + " bytes of image data but only " + (d.length - end) + " follow");
        }
        if (rgb == null) rgb = comps.length == 3 && (adobeTransform == 0 || (comps[0].id == 'R' && comps[1].id == 'G' && comps[2].id == 'B'));
        for (Component c : scan) if (c == comps[0] || rgb || colour) c.plane = new byte[c.bw * 8 * c.bh * 8];
        return decodeScan(end, scan);
    }

    private int blocksX(Component c) { return Math.max(1, ((width * c.h + hmax - 1) / hmax + 7) / 8); }

    private int blocksY(Component c) { return Math.max(1, ((height * c.v + vmax - 1) / vmax + 7) / 8); }

    private int decodeScan(int start, Component[] scan) {
        Reader r = new Reader(start);
        for (Component c : scan) c.pred = 0;
        int todo = restartInterval;
        if (scan.length == 1) {
            Component c = scan[0];
            int bx = blocksX(c), by = blocksY(c);
            for (int y = 0; y < by; y++) {
                for (int x = 0; x < bx; x++) {
                    if (restartInterval > 0 && todo == 0) { r.restart(); c.pred = 0; todo = restartInterval; }
                    block(r, c, x, y);
                    todo--;
                }
            }
        } else {
            for (int my = 0; my < mcusY; my++) {
                for (int mx = 0; mx < mcusX; mx++) {
                    if (restartInterval > 0 && todo == 0) {
                        r.restart();
                        for (Component c : scan) c.pred = 0;
                        todo = restartInterval;
                    }
                    for (Component c : scan) {
                        for (int v = 0; v < c.v; v++) {
                            for (int h = 0; h < c.h; h++) block(r, c, mx * c.h + h, my * c.v + v);
                        }
                    }
                    todo--;
                }
            }
        }
        // Resume marker parsing after the entropy-coded data.
        int p = r.pos;
        while (p + 1 < d.length && !((d[p] & 0xFF) == 0xFF && (d[p + 1] & 0xFF) != 0 && ((d[p + 1] & 0xFF) < 0xD0 || (d[p + 1] & 0xFF) > 0xD7))) p++;
        return p;
    }

    /** Decodes block (bx, by) of c and, when c is needed, transforms it into c's plane. */
    private void block(Reader r, Component c, int bx, int by) {
        int[] z = block;
        Arrays.fill(z, 0);
        int t = r.decode(dc[c.td]);
        if (t > 11) throw fail("corrupt JPEG image data (a DC difference of " + t + " bits)");
        c.pred += extend(r.receive(t), t);
        z[0] = c.pred;
        Huffman acT = ac[c.ta];
        for (int k = 1; k < 64; ) {
            int rs = r.decode(acT);
            int s = rs & 15, run = rs >> 4;
            if (s == 0) {
                if (run != 15) break;
                k += 16;
                continue;
            }
            k += run;
            if (k > 63) throw fail("corrupt JPEG image data (coefficient index out of range)");
            z[ZIGZAG[k]] = extend(r.receive(s), s);
            k++;
        }
        if (c.plane != null) idct(z, qt[c.tq], c.plane, c.bw * 8, bx * 8, by * 8);
    }

    static int extend(int v, int t) { return t == 0 ? 0 : v < (1 << (t - 1)) ? v - (1 << t) + 1 : v; }

    /** Dequantises and inverse-transforms one block into out at (x0, y0), rounded and clamped to 0..255. */
    private void idct(int[] coef, int[] q, byte[] out, int stride, int x0, int y0) {
        // Separable: columns first (tmp[y][u] = sum_v COS[y][v] F[v][u]), then rows.
        for (int u = 0; u < 8; u++) {
            for (int y = 0; y < 8; y++) {
                double s = 0;
                for (int v = 0; v < 8; v++) s += COS[y][v] * coef[v * 8 + u] * q[v * 8 + u];
                tmp[y * 8 + u] = s;
            }
        }
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                double s = 0;
                for (int u = 0; u < 8; u++) s += COS[x][u] * tmp[y * 8 + u];
                out[(y0 + y) * stride + x0 + x] = (byte) Math.clamp(Math.round(s + 128), 0, 255);
            }
        }
    }

    private Raster toRaster() {
        int n = rgb || colour ? comps.length : 1;
        for (int i = 0; i < n; i++) {
            if (comps[i].plane == null) throw fail("truncated JPEG (no image data for component " + comps[i].id + ")");
        }
        Raster out = new Raster(width, height, colour);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (n == 1) {
                    out.grey(i, sample(comps[0], x, y)); // a grey file, or the luma of a YCbCr one: Y
                } else if (rgb) {
                    out.rgb(i, sample(comps[0], x, y), sample(comps[1], x, y), sample(comps[2], x, y), 1f);
                } else {
                    float luma = sample(comps[0], x, y), cb = sample(comps[1], x, y) - 128, cr = sample(comps[2], x, y) - 128;
                    out.rgb(i, clamp(luma + 1.402f * cr), clamp(luma - 0.344136f * cb - 0.714136f * cr), clamp(luma + 1.772f * cb), 1f);
                }
            }
        }
        return out;
    }

    private static float clamp(float v) { return Math.clamp(Math.round(v), 0, 255); }

    private float sample(Component c, int x, int y) {
        int px = x * c.h / hmax, py = y * c.v / vmax;
        return c.plane[py * c.bw * 8 + px] & 0xFF;
    }

    /** Bits of the entropy-coded data; running into a marker or the end of the file is an error. */
    private final class Reader {
        int pos, bits, nbits;

        Reader(int pos) { this.pos = pos; }

        int bit() {
            if (nbits == 0) {
                if (pos >= d.length) throw fail("truncated JPEG (the image data ends early)");
                int v = d[pos] & 0xFF;
                if (v == 0xFF) {
                    if (pos + 1 >= d.length) throw fail("truncated JPEG (the image data ends early)");
                    if (d[pos + 1] != 0) throw fail("truncated or corrupt JPEG (a marker interrupts the image data)");
                    pos++; // a stuffed zero byte
                }
                pos++;
                bits = v;
                nbits = 8;
            }
            nbits--;
            return (bits >>> nbits) & 1;
        }

        int receive(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) v = (v << 1) | bit();
            return v;
        }

        int decode(Huffman h) {
            int code = 0;
            for (int len = 1; len <= 16; len++) {
                code = (code << 1) | bit();
                if (code <= h.maxcode[len]) return h.values[h.valptr[len] + code - h.mincode[len]];
            }
            throw fail("corrupt JPEG image data (bad Huffman code)");
        }

        /** After a restart interval: skip the rest of the byte and the RSTn marker that must follow. */
        void restart() {
            nbits = 0;
            while (pos + 1 < d.length && !((d[pos] & 0xFF) == 0xFF && d[pos + 1] != 0 && d[pos + 1] != (byte) 0xFF)) pos++;
            int m = pos + 1 < d.length ? d[pos + 1] & 0xFF : -1;
            if (m < 0xD0 || m > 0xD7) throw fail("truncated or corrupt JPEG (a restart marker is missing)");
            pos += 2;
        }
    }
}
