package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import tinynn.data.DataException;
import tinynn.data.image.GreyImage;
import tinynn.data.image.ImageDecoder;
import tinynn.data.image.PngDecoder;

/**
 * Property: random bytes and random damage to valid PNGs (every colour type, low and high bit
 * depths, interlaced) and baseline JPEGs (grey and 4:2:0 colour, with and without restart intervals) make the decoders return an
 * image or throw a {@link DataException} naming the file, on one line, and nothing else; and what a
 * try allocates stays below 1 MiB + 300 bytes per input byte + twice the decoded image.
 *
 * <p>The per-byte term: a JPEG block (8x8 pixels, one byte each) can take as little as 2 bits of
 * data, 256 bytes of plane per byte of file; a PNG is only decoded once its data has been shown
 * to inflate to the declared size. PNG damage is followed by recomputed CRCs (mostly), so it
 * reaches the chunk parser, the inflater and the unfilter instead of stopping at the CRC check.
 */
class ImageDecoderProperties {

    private static final List<byte[]> PNGS = new ArrayList<>(), JPEGS = new ArrayList<>();

    static {
        try {
            int[] types = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_3BYTE_BGR,
                    BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_BINARY, BufferedImage.TYPE_BYTE_INDEXED};
            for (int type : types) {
                for (boolean interlaced : new boolean[] {false, true}) {
                    PNGS.add(ImageDecodingTest.encode(ImageDecodingTest.picture(type, 13 + type, 9), "png", interlaced));
                }
            }
            PNGS.add(Images.greyPng(1, 300, 40));
            for (int type : new int[] {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_3BYTE_BGR}) {
                JPEGS.add(ImageDecodingTest.encode(ImageDecodingTest.picture(type, 37, 23), "jpeg", false));
                JPEGS.add(ImageDecodingTest.encode(ImageDecodingTest.picture(type, 5, 3), "jpeg", false));
                JPEGS.add(ImageDecodingTest.jpegWithRestarts(ImageDecodingTest.picture(type, 29, 17), 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    enum Mutation { NONE, RANDOM_BYTES, FLIP, TRUNCATE, INSERT, HUGE_DIMENSIONS, HEADER_BYTES, IMAGE_DATA_BYTES, SEGMENT_LENGTH }

    record Input(String how, byte[] bytes) {
        @Override public String toString() { return how + " (" + bytes.length + " bytes)"; }
    }

    @Provide
    Arbitrary<Input> inputs() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 99),
                Arbitraries.of(Mutation.class), Arbitraries.longs()).as(ImageDecoderProperties::mutate);
    }

    static Input mutate(boolean png, int which, Mutation m, long seed) {
        List<byte[]> seeds = png ? PNGS : JPEGS;
        int index = which % seeds.size();
        byte[] b = seeds.get(index).clone();
        Random r = new Random(seed);
        String how = (png ? "png " : "jpeg ") + index + " " + m + " seed " + seed;
        switch (m) {
            case NONE -> { }
            case RANDOM_BYTES -> {
                b = new byte[r.nextInt(2000)];
                r.nextBytes(b);
                byte[] magic = png ? PngDecoder.signature() : new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
                if (b.length >= magic.length && r.nextInt(3) > 0) System.arraycopy(magic, 0, b, 0, magic.length);
            }
            case FLIP -> {
                for (int i = 1 + r.nextInt(8); i > 0; i--) b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                if (png && r.nextInt(4) > 0) Images.fixCrcs(b);
            }
            case TRUNCATE -> b = Arrays.copyOf(b, r.nextInt(b.length));
            case INSERT -> {
                byte[] extra = new byte[1 + r.nextInt(16)];
                r.nextBytes(extra);
                int at = r.nextInt(b.length + 1);
                byte[] out = new byte[b.length + extra.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(extra, 0, out, at, extra.length);
                System.arraycopy(b, at, out, at + extra.length, b.length - at);
                b = out;
                if (png && r.nextBoolean()) Images.fixCrcs(b);
            }
            case HUGE_DIMENSIONS -> {
                if (png) {
                    long[] sizes = {0, 1, 2, 46340, 46341, 65535, 65536, 1 << 20, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL, r.nextInt()};
                    int field = r.nextInt(3);
                    if (field != 1) Images.writeInt(b, 16, (int) sizes[r.nextInt(sizes.length)]);
                    if (field != 0) Images.writeInt(b, 20, (int) sizes[r.nextInt(sizes.length)]);
                    Images.fixCrcs(b);
                } else {
                    int sof = Images.segment(b, 0xC0);
                    int[] sizes = {0, 1, 8, 4097, 32568, 65336, 65535, r.nextInt(65536)};
                    int field = r.nextInt(3);
                    if (field != 1) put16(b, sof + 1, sizes[r.nextInt(sizes.length)]);
                    if (field != 0) put16(b, sof + 3, sizes[r.nextInt(sizes.length)]);
                }
            }
            case HEADER_BYTES -> {
                int from = png ? 8 : 2, to = png ? firstIdat(b) : Images.segment(b, 0xDA) + 12;
                for (int i = 1 + r.nextInt(3); i > 0; i--) b[from + r.nextInt(to - from)] = (byte) r.nextInt(256);
                if (png) Images.fixCrcs(b);
            }
            case IMAGE_DATA_BYTES -> {
                int from = png ? firstIdat(b) + 8 : Images.segment(b, 0xDA) + 12, to = b.length - 12;
                for (int i = 1 + r.nextInt(4); i > 0; i--) b[from + r.nextInt(to - from)] ^= (byte) (1 + r.nextInt(255));
                if (png) Images.fixCrcs(b);
            }
            case SEGMENT_LENGTH -> {
                // A random chunk/segment gets a length near the edges; sometimes the file then ends where it claims to.
                List<Integer> at = png ? chunkStarts(b) : segmentStarts(b);
                int start = at.get(r.nextInt(at.size()));
                int len = png ? Images.readInt(b, start) : (b[start + 2] & 0xFF) << 8 | (b[start + 3] & 0xFF);
                int[] lens = {0, 1, 2, 3, len - 1, len + 1, r.nextInt(png ? Integer.MAX_VALUE : 65536)};
                int v = lens[r.nextInt(lens.length)];
                if (png) Images.writeInt(b, start, v);
                else put16(b, start + 2, v);
                long end = png ? start + 12L + Integer.toUnsignedLong(v) : start + 2L + (v & 0xFFFF);
                if (r.nextBoolean() && end < b.length) b = Arrays.copyOf(b, (int) end);
                if (png) Images.fixCrcs(b);
            }
        }
        return new Input(how, b);
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    /** Offsets of the chunks' length fields. */
    private static List<Integer> chunkStarts(byte[] png) {
        List<Integer> out = new ArrayList<>();
        for (int pos = 8; pos + 12 <= png.length; pos += 12 + Images.readInt(png, pos)) out.add(pos);
        return out;
    }

    /** Offsets of the JPEG segments' markers, up to and including the first scan header. */
    private static List<Integer> segmentStarts(byte[] jpeg) {
        List<Integer> out = new ArrayList<>();
        for (int pos = 2; pos + 4 <= jpeg.length && (jpeg[pos] & 0xFF) == 0xFF; pos += 2 + ((jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF))) {
            out.add(pos);
            if ((jpeg[pos + 1] & 0xFF) == 0xDA) break;
        }
        return out;
    }

    /** Offset of the first IDAT chunk (its length field). */
    private static int firstIdat(byte[] png) {
        int pos = 8;
        while (!new String(png, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("IDAT")) pos += 12 + Images.readInt(png, pos);
        return pos;
    }

    @Property(tries = 1000)
    void decodersReturnAnImageOrAFailureWithBoundedAllocation(@ForAll("inputs") Input input) {
        byte[] bytes = input.bytes();
        Path name = Path.of("fuzz.img");
        GreyImage g = null;
        float[] px = null;
        DataException failure = null;
        long before = Images.allocatedBytes();
        try {
            g = ImageDecoder.decode(name.toString(), bytes);
            px = ImageInput.prepare(g, 28, 28, ImageInput.Invert.AUTO);
        } catch (DataException f) {
            failure = f;
        }
        long used = Images.allocatedBytes() - before;
        long bound = (1 << 20) + 300L * bytes.length + (g != null ? 2 * 4L * g.pixels().length : 0);
        assertTrue(used <= bound, () -> input + ": allocated " + used + " bytes, more than " + bound);
        if (failure != null) {
            String m = failure.getMessage();
            assertTrue(m.startsWith(name + ": "), () -> input + ": " + m);
            assertFalse(m.contains("\n"), () -> input + ": " + m);
            Statistics.label("outcome").collect(m.substring(name.toString().length() + 2).replaceAll("[0-9].*", ""));
        } else {
            assertTrue(g.width() > 0 && g.height() > 0, input::toString);
            assertEquals((long) g.width() * g.height(), g.pixels().length, input::toString);
            for (float v : g.pixels()) assertTrue(v >= -0.01f && v <= 255.01f, () -> input + ": pixel " + v);
            assertEquals(28 * 28, px.length);
            Statistics.label("outcome").collect("image");
        }
    }
}
