package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tinynn.data.DataException;
import tinynn.data.image.GreyImage;
import tinynn.data.image.ImageDecoder;
import tinynn.data.image.PngDecoder;

/**
 * Issue 8, items 10 and 11: malformed PNG/JPEG headers end in a one-line failure naming the file
 * (never an ArrayIndexOutOfBounds/NegativeArraySize "internal error"), and tiny files claiming
 * extreme sizes or aspect ratios allocate no more than their data and the 28x28 output need.
 */
class MalformedImageTest {
    @TempDir static Path dir;
    static Path model;
    static byte[] jpeg, greyJpeg;

    @BeforeAll static void fixtures() throws IOException {
        Fixtures fx = Fixtures.write(dir, 100, 10);
        model = dir.resolve("m.tnn");
        Cli.Result r = Cli.run("train", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(),
                "--hidden", "8", "--epochs", "1", "--progress", "none", "--out", model.toString());
        assertEquals(0, r.code(), r::toString);
        jpeg = ImageDecodingTest.encode(ImageDecodingTest.picture(BufferedImage.TYPE_3BYTE_BGR, 56, 56), "jpeg", false);
        greyJpeg = ImageDecodingTest.encode(ImageDecodingTest.picture(BufferedImage.TYPE_BYTE_GRAY, 56, 56), "jpeg", false);
    }

    /** A copy of {@code original} changed by {@code patch}, written to dir/name. */
    static Path file(String name, byte[] original, Consumer<byte[]> patch) throws IOException {
        byte[] b = original.clone();
        patch.accept(b);
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    /** Decoding fails with a DataException whose one-line message names the file and contains {@code what}. */
    static void refused(Path file, String what) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        DataException f = assertThrows(DataException.class, () -> ImageDecoder.decode(file.toString(), bytes));
        assertTrue(f.getMessage().startsWith(file + ": ") && f.getMessage().contains(what), f.getMessage());
        assertFalse(f.getMessage().contains("\n"), f.getMessage());
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    @Test void jpegScanNamingHuffmanTablesAbove3() throws IOException {
        int sos = Images.segment(jpeg, 0xDA);
        Path f = file("tables.jpg", jpeg, b -> b[sos + 2] = 0x45); // component 1 uses DC table 4, AC table 5
        refused(f, "Huffman tables 4/5");
        Cli.Result r = Cli.run("predict", model.toString(), f.toString());
        ErrorHandlingTest.oneLine(r, 1, "tinynn predict: " + f + ": ", "Huffman tables 4/5 (ids are 0..3)");
    }

    @Test void jpegClaimingHeight65336() throws IOException {
        int sof = Images.segment(jpeg, 0xC0);
        Path f = file("tall.jpg", jpeg, b -> put16(b, sof + 1, 65336));
        refused(f, "truncated JPEG");
        ErrorHandlingTest.oneLine(Cli.run("predict", model.toString(), f.toString()), 1, "tinynn predict: " + f + ": ", "truncated JPEG");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dht-id", "dht-class", "dht-oversubscribed", "dqt-id", "sof-components", "sof-sampling", "sof-short",
            "sos-count", "sos-unknown-component", "dri-length", "width-0"})
    void malformedJpegHeaders(String what) throws IOException {
        int dht = Images.segment(greyJpeg, 0xC4), dqt = Images.segment(greyJpeg, 0xDB), sof = Images.segment(greyJpeg, 0xC0),
                sos = Images.segment(greyJpeg, 0xDA);
        Path f = file(what + ".jpg", greyJpeg, b -> {
            switch (what) {
                case "dht-id" -> b[dht] = 0x07;
                case "dht-class" -> b[dht] = 0x20;
                case "dht-oversubscribed" -> b[dht + 1] = 3; // three codes of length 1
                case "dqt-id" -> b[dqt] = 0x05;
                case "sof-components" -> b[sof + 5] = 3; // grey frame claims 3 components; the segment holds 1
                case "sof-sampling" -> b[sof + 7] = 0x05; // horizontal factor 0
                case "sof-short" -> put16(b, sof - 2, 6);
                case "sos-count" -> b[sos] = 4;
                case "sos-unknown-component" -> b[sos + 1] = 99;
                case "dri-length" -> { } // below: a DRI segment of the wrong length replaces the first APP0
                case "width-0" -> put16(b, sof + 3, 0);
                default -> throw new AssertionError(what);
            }
            if (what.equals("dri-length")) {
                int app = Images.segment(b, 0xE0);
                b[app - 3] = (byte) 0xDD; // FFE0 → FFDD, keeping its (wrong, 16-byte) length
            }
        });
        refused(f, "JPEG");
    }

    @Test void jpegEndingInAnEmptyScanHeader() throws IOException {
        byte[] b = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 11, 8, 0, 8, 0, 8, 1, 1, 0x11, 0, (byte) 0xFF, (byte) 0xDA, 0, 2};
        Path f = dir.resolve("empty-scan.jpg");
        Files.write(f, b);
        refused(f, "empty scan header");
    }

    @Test void pngOneByLotsPredicts() throws IOException {
        // 1x46341 used to end in NegativeArraySizeException (the padded 46341² canvas overflows an int).
        Path f = dir.resolve("thin.png");
        Files.write(f, Images.greyPng(1, 46341, 200));
        Cli.Result r = Cli.run("predict", model.toString(), f.toString(), "--top", "1");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith(f + ": "), r::toString);
    }

    @Test void tinyPngWithAnExtremeAspectRatioAllocatesLittle() throws IOException {
        byte[] png = Images.greyPng(1, 46340, 200);
        assertTrue(png.length < 200, "the issue's file was 125 bytes; this one is " + png.length);
        Path f = dir.resolve("thin2.png");
        long before = Images.allocatedBytes();
        GreyImage g = ImageDecoder.decode(f.toString(), png);
        float[] px = ImageInput.prepare(g, 28, 28, ImageInput.Invert.AUTO);
        long used = Images.allocatedBytes() - before;
        assertEquals(784, px.length);
        // 46340 pixels as floats, plus constants; it was 8.4 GB (a 46340x46340 canvas).
        assertTrue(used < 2_000_000, "allocated " + used);
        float mean = 0;
        for (float v : px) mean += v / 784;
        // The border is the whole image (value 200), so the padding is 200 too, and auto-inversion makes it 55.
        assertEquals(55f, mean, 0.01f);
    }

    @Test void tinyJpegClaimingAnExtremeAspectRatioAllocatesLittle() throws IOException {
        int sof = Images.segment(jpeg, 0xC0);
        byte[] b = jpeg.clone();
        put16(b, sof + 1, 32568); // 56x32568, as in the issue
        Path f = dir.resolve("tall2.jpg");
        long before = Images.allocatedBytes();
        DataException e = assertThrows(DataException.class, () -> ImageDecoder.decode(f.toString(), b));
        long used = Images.allocatedBytes() - before;
        assertTrue(e.getMessage().startsWith(f + ": truncated JPEG"), e.getMessage());
        assertTrue(used < 1_000_000, "allocated " + used); // was 4.2 GB
    }

    @Test void realTallJpegIsDecodedWithoutTheCanvas() throws IOException {
        byte[] b = ImageDecodingTest.encode(ImageDecodingTest.picture(BufferedImage.TYPE_BYTE_GRAY, 8, 12000), "jpeg", false);
        long before = Images.allocatedBytes();
        GreyImage g = ImageDecoder.decode(dir.resolve("real-tall.jpg").toString(), b);
        float[] px = ImageInput.prepare(g, 28, 28, ImageInput.Invert.NO);
        long used = Images.allocatedBytes() - before;
        assertEquals(784, px.length);
        // 96,000 pixels: a byte plane and a float image, about 0.5 MB; the padded 12000² canvas was 576 MB.
        assertTrue(used < 4_000_000, "allocated " + used);
    }

    @Test void pngDimensionsBeyondTheDocumentedLimit() throws IOException {
        for (long[] size : new long[][] {{65536, 1}, {1, 0x80000000L}, {9000, 9000}, {0, 5}}) {
            Path f = dir.resolve("big-" + size[0] + "x" + size[1] + ".png");
            Files.write(f, Images.png(Images.ihdr(size[0], size[1], 8, 0, 0), Images.deflate(new byte[64])));
            refused(f, size[0] == 0 ? "0x5" : "pixels a side");
        }
    }

    @Test void pngWhoseDataCannotFillItsSizeAllocatesLittle() throws IOException {
        // 8000x8000 declared; the zlib stream (a small "bomb" of zeros) holds a fifth of it.
        byte[] png = Images.png(Images.ihdr(8000, 8000, 8, 0, 0), Images.deflate(new byte[8001 * 1600]));
        Path f = dir.resolve("short-data.png");
        long before = Images.allocatedBytes();
        DataException e = assertThrows(DataException.class, () -> ImageDecoder.decode(f.toString(), png));
        long used = Images.allocatedBytes() - before;
        assertTrue(e.getMessage().startsWith(f + ": truncated PNG image data"), e.getMessage());
        assertTrue(used < 1_000_000, "allocated " + used); // the old decoder allocated the 64 MB it expected up front
    }

    @Test void malformedPngChunks() throws IOException {
        byte[] ok = Images.greyPng(4, 4, 9);
        refused(writePng("plte.png", ok, "PLTE", new byte[7]), "PLTE has 7 bytes");
        byte[] twoHeaders = concat(PngDecoder.signature(), Images.chunk("IHDR", Images.ihdr(4, 4, 8, 0, 0)),
                Images.chunk("IHDR", Images.ihdr(4, 4, 8, 0, 0)), java.util.Arrays.copyOfRange(ok, 33, ok.length));
        Path f = dir.resolve("two-ihdr.png");
        Files.write(f, twoHeaders);
        refused(f, "two IHDR chunks");
        byte[] badFilter = Images.png(Images.ihdr(2, 2, 8, 0, 0), Images.deflate(new byte[] {0, 1, 2, 9, 3, 4}));
        Path g = dir.resolve("filter.png");
        Files.write(g, badFilter);
        refused(g, "unknown filter type 9");
        byte[] badIndex = concat(PngDecoder.signature(), Images.chunk("IHDR", Images.ihdr(2, 1, 8, 3, 0)),
                Images.chunk("PLTE", new byte[6]), Images.chunk("IDAT", Images.deflate(new byte[] {0, 1, 2})), Images.chunk("IEND", new byte[0]));
        Path h = dir.resolve("index.png");
        Files.write(h, badIndex);
        refused(h, "palette index 2 out of range");
    }

    /** {@code png} with a chunk inserted after IHDR. */
    private static Path writePng(String name, byte[] png, String type, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, concat(java.util.Arrays.copyOf(png, 33), Images.chunk(type, data), java.util.Arrays.copyOfRange(png, 33, png.length)));
        return p;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }
}
