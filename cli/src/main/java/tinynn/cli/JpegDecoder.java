package tinynn.cli;

/**
 * A small sequential (baseline and extended, Huffman-coded, 8-bit) JPEG decoder to greyscale,
 * independent of AWT/ImageIO. Handles 1 (grey) and 3 (YCbCr, or RGB with an Adobe marker)
 * components, any sampling factors, interleaved and single-component scans and restart
 * intervals. Progressive, lossless, arithmetic-coded, 12-bit and CMYK files are refused with a
 * message saying so.
 */
final class JpegDecoder {
    private JpegDecoder() {}

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
        int td, ta; // Huffman table selectors of the current scan
        int pred;
        int bw, bh; // blocks per line / column, padded to whole MCUs
        int[] coef; // dequantised coefficients, 64 per block
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

    private static final class Reader {
        final byte[] b;
        int pos, bits, nbits;
        boolean marker;

        Reader(byte[] b, int pos) { this.b = b; this.pos = pos; }

        int bit() {
            if (nbits == 0) {
                int v = 0;
                if (!marker && pos < b.length) {
                    v = b[pos++] & 0xFF;
                    if (v == 0xFF) {
                        int next = pos < b.length ? b[pos] & 0xFF : 0;
                        if (next == 0) pos++;
                        else { marker = true; v = 0; pos--; }
                    }
                }
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
            throw new IllegalArgumentException("corrupt JPEG: bad Huffman code");
        }

        /** After a restart interval: skip to and past the RSTn marker. */
        void restart() {
            nbits = 0;
            marker = false;
            while (pos + 1 < b.length && !((b[pos] & 0xFF) == 0xFF && (b[pos + 1] & 0xFF) >= 0xD0 && (b[pos + 1] & 0xFF) <= 0xD7)) pos++;
            if (pos + 1 < b.length) pos += 2;
        }
    }

    static int extend(int v, int t) { return t == 0 ? 0 : v < (1 << (t - 1)) ? v - (1 << t) + 1 : v; }

    static PngDecoder.Grey decode(byte[] d) {
        if (d.length < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != 0xD8) throw new IllegalArgumentException("not a JPEG file");
        int[][] qt = new int[4][];
        Huffman[] dc = new Huffman[4], ac = new Huffman[4];
        Component[] comps = null;
        int width = 0, height = 0, hmax = 1, vmax = 1, mcusX = 0, mcusY = 0, restartInterval = 0, adobeTransform = -1;
        boolean frame = false, anyScan = false;
        int pos = 2;
        while (pos + 4 <= d.length) {
            if ((d[pos] & 0xFF) != 0xFF) { pos++; continue; }
            int m = d[pos + 1] & 0xFF;
            if (m == 0xFF) { pos++; continue; }
            pos += 2;
            if (m == 0xD9) break; // EOI
            if (m >= 0xD0 && m <= 0xD7 || m == 0x01) continue;
            if (pos + 2 > d.length) break;
            int len = ((d[pos] & 0xFF) << 8) | (d[pos + 1] & 0xFF);
            int end = pos + len;
            if (len < 2 || end > d.length) throw new IllegalArgumentException("truncated JPEG (segment runs past the end)");
            int p = pos + 2;
            switch (m) {
                case 0xDB -> {
                    while (p < end) {
                        int pq = (d[p] & 0xFF) >> 4, tq = d[p] & 0x0F;
                        p++;
                        if (tq > 3) throw new IllegalArgumentException("corrupt JPEG: quantisation table " + tq);
                        int[] t = new int[64];
                        for (int i = 0; i < 64; i++) {
                            t[ZIGZAG[i]] = pq == 0 ? d[p++] & 0xFF : ((d[p++] & 0xFF) << 8) | (d[p++] & 0xFF);
                        }
                        qt[tq] = t;
                    }
                }
                case 0xC4 -> {
                    while (p < end) {
                        int tc = (d[p] & 0xFF) >> 4, th = d[p] & 0x0F;
                        p++;
                        int[] counts = new int[17];
                        int total = 0;
                        for (int i = 1; i <= 16; i++) total += counts[i] = d[p++] & 0xFF;
                        if (th > 3 || total > 256 || p + total > end) throw new IllegalArgumentException("corrupt JPEG: bad Huffman table");
                        int[] vals = new int[total];
                        for (int i = 0; i < total; i++) vals[i] = d[p++] & 0xFF;
                        (tc == 0 ? dc : ac)[th] = new Huffman(counts, vals);
                    }
                }
                case 0xDD -> restartInterval = ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
                case 0xEE -> {
                    if (len >= 14 && d[p] == 'A' && d[p + 1] == 'd' && d[p + 2] == 'o' && d[p + 3] == 'b' && d[p + 4] == 'e') adobeTransform = d[p + 11] & 0xFF;
                }
                case 0xC0, 0xC1 -> {
                    if ((d[p] & 0xFF) != 8) throw new IllegalArgumentException((d[p] & 0xFF) + "-bit JPEG is not supported (8-bit only); convert it to PNG");
                    height = ((d[p + 1] & 0xFF) << 8) | (d[p + 2] & 0xFF);
                    width = ((d[p + 3] & 0xFF) << 8) | (d[p + 4] & 0xFF);
                    int n = d[p + 5] & 0xFF;
                    if (width == 0 || height == 0) throw new IllegalArgumentException("JPEG without a size (DNL marker) is not supported");
                    if ((long) width * height > PngDecoder.MAX_PIXELS) throw new IllegalArgumentException("JPEG is too large (" + width + "x" + height + ")");
                    if (n != 1 && n != 3) throw new IllegalArgumentException("JPEG with " + n + " colour components (CMYK?) is not supported; convert it to PNG");
                    comps = new Component[n];
                    for (int i = 0; i < n; i++) {
                        Component c = comps[i] = new Component();
                        c.id = d[p + 6 + 3 * i] & 0xFF;
                        c.h = (d[p + 7 + 3 * i] & 0xFF) >> 4;
                        c.v = d[p + 7 + 3 * i] & 0x0F;
                        c.tq = d[p + 8 + 3 * i] & 0x0F;
                        if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.tq > 3) throw new IllegalArgumentException("corrupt JPEG frame header");
                        hmax = Math.max(hmax, c.h);
                        vmax = Math.max(vmax, c.v);
                    }
                    mcusX = (width + 8 * hmax - 1) / (8 * hmax);
                    mcusY = (height + 8 * vmax - 1) / (8 * vmax);
                    for (Component c : comps) {
                        c.bw = mcusX * c.h;
                        c.bh = mcusY * c.v;
                        c.coef = new int[c.bw * c.bh * 64];
                    }
                    frame = true;
                }
                case 0xC2, 0xC6, 0xCA, 0xCE -> throw new IllegalArgumentException("progressive JPEG is not supported; save it as baseline JPEG or PNG");
                case 0xC3, 0xC5, 0xC7, 0xC9, 0xCB, 0xCD, 0xCF -> throw new IllegalArgumentException("lossless/hierarchical/arithmetic-coded JPEG is not supported; convert it to PNG");
                case 0xDA -> {
                    if (!frame) throw new IllegalArgumentException("corrupt JPEG: scan before frame header");
                    int ns = d[p] & 0xFF;
                    Component[] scan = new Component[ns];
                    for (int i = 0; i < ns; i++) {
                        int id = d[p + 1 + 2 * i] & 0xFF, tables = d[p + 2 + 2 * i] & 0xFF;
                        for (Component c : comps) if (c.id == id) scan[i] = c;
                        if (scan[i] == null) throw new IllegalArgumentException("corrupt JPEG: scan names unknown component " + id);
                        scan[i].td = tables >> 4;
                        scan[i].ta = tables & 0x0F;
                        if (dc[scan[i].td] == null || ac[scan[i].ta] == null) throw new IllegalArgumentException("corrupt JPEG: missing Huffman table");
                    }
                    pos = decodeScan(d, end, scan, dc, ac, qt, mcusX, mcusY, width, height, hmax, vmax, restartInterval);
                    anyScan = true;
                    continue;
                }
                default -> { }
            }
            pos = end;
        }
        if (!anyScan) throw new IllegalArgumentException("truncated JPEG (no image data)");
        return toGrey(comps, width, height, hmax, vmax, adobeTransform, qt);
    }

    private static int decodeScan(byte[] d, int start, Component[] scan, Huffman[] dc, Huffman[] ac, int[][] qt,
                                  int mcusX, int mcusY, int width, int height, int hmax, int vmax, int restartInterval) {
        Reader r = new Reader(d, start);
        for (Component c : scan) c.pred = 0;
        int todo = restartInterval;
        if (scan.length == 1) {
            Component c = scan[0];
            int bx = Math.max(1, (int) Math.ceil(Math.ceil(width * (double) c.h / hmax) / 8));
            int by = Math.max(1, (int) Math.ceil(Math.ceil(height * (double) c.v / vmax) / 8));
            for (int y = 0; y < by; y++) {
                for (int x = 0; x < bx; x++) {
                    if (restartInterval > 0 && todo == 0) { r.restart(); c.pred = 0; todo = restartInterval; }
                    block(r, c, dc[c.td], ac[c.ta], y * c.bw + x);
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
                            for (int h = 0; h < c.h; h++) {
                                block(r, c, dc[c.td], ac[c.ta], (my * c.v + v) * c.bw + mx * c.h + h);
                            }
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

    private static void block(Reader r, Component c, Huffman dcT, Huffman acT, int index) {
        int[] z = c.coef;
        int base = index * 64;
        int t = r.decode(dcT);
        c.pred += extend(r.receive(t), t);
        z[base] = c.pred;
        for (int k = 1; k < 64; ) {
            int rs = r.decode(acT);
            int s = rs & 15, run = rs >> 4;
            if (s == 0) {
                if (run != 15) break;
                k += 16;
                continue;
            }
            k += run;
            if (k > 63) throw new IllegalArgumentException("corrupt JPEG: coefficient index out of range");
            z[base + ZIGZAG[k]] = extend(r.receive(s), s);
            k++;
        }
    }

    private static PngDecoder.Grey toGrey(Component[] comps, int width, int height, int hmax, int vmax, int adobe, int[][] qt) {
        float[][] planes = new float[comps.length][];
        for (int i = 0; i < comps.length; i++) {
            Component c = comps[i];
            if (qt[c.tq] == null) throw new IllegalArgumentException("corrupt JPEG: missing quantisation table " + c.tq);
            planes[i] = idctPlane(c, qt[c.tq]);
        }
        float[] grey = new float[width * height];
        boolean rgb = comps.length == 3 && (adobe == 0 || (comps[0].id == 'R' && comps[1].id == 'G' && comps[2].id == 'B'));
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (comps.length == 1 || !rgb) {
                    grey[y * width + x] = sample(planes[0], comps[0], x, y, hmax, vmax); // luma is Y
                } else {
                    float r = sample(planes[0], comps[0], x, y, hmax, vmax);
                    float g = sample(planes[1], comps[1], x, y, hmax, vmax);
                    float b = sample(planes[2], comps[2], x, y, hmax, vmax);
                    grey[y * width + x] = 0.299f * r + 0.587f * g + 0.114f * b;
                }
            }
        }
        return new PngDecoder.Grey(width, height, grey);
    }

    private static float sample(float[] plane, Component c, int x, int y, int hmax, int vmax) {
        int px = x * c.h / hmax, py = y * c.v / vmax;
        return plane[py * c.bw * 8 + px];
    }

    private static float[] idctPlane(Component c, int[] q) {
        int w = c.bw * 8;
        float[] out = new float[w * c.bh * 8];
        double[] tmp = new double[64];
        for (int by = 0; by < c.bh; by++) {
            for (int bx = 0; bx < c.bw; bx++) {
                int base = (by * c.bw + bx) * 64;
                // rows: tmp[y][x] = sum_v COS[y][v] * F[v][u] ... done separably
                for (int u = 0; u < 8; u++) {
                    for (int y = 0; y < 8; y++) {
                        double s = 0;
                        for (int v = 0; v < 8; v++) s += COS[y][v] * c.coef[base + v * 8 + u] * q[v * 8 + u];
                        tmp[y * 8 + u] = s;
                    }
                }
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        double s = 0;
                        for (int u = 0; u < 8; u++) s += COS[x][u] * tmp[y * 8 + u];
                        out[(by * 8 + y) * w + bx * 8 + x] = (float) Math.clamp(Math.round(s + 128), 0, 255);
                    }
                }
            }
        }
        return out;
    }
}
