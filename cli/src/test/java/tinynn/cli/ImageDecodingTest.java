package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tinynn.data.DataException;
import tinynn.data.image.GreyImage;
import tinynn.data.image.JpegDecoder;
import tinynn.data.image.PngDecoder;
import tinynn.data.image.RgbImage;

/** The PNG and JPEG decoders against ImageIO's encoder, over every colour type, depth, filter and interlacing. */
class ImageDecodingTest {

    /** A picture with gradients, noise and hard edges, so every PNG filter type gets used. */
    static BufferedImage picture(int type, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        Random rng = new Random(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x * 255) / Math.max(1, w - 1), gr = (y * 255) / Math.max(1, h - 1), b = rng.nextInt(256);
                int a = type == BufferedImage.TYPE_INT_ARGB ? (x + y) % 256 : 255;
                img.setRGB(x, y, new Color(r, gr, (x / 5 + y / 3) % 2 == 0 ? b : 255 - r, a).getRGB());
            }
        }
        g.setColor(Color.BLACK);
        g.fillRect(w / 4, h / 4, w / 3, h / 5);
        g.dispose();
        return img;
    }

    static byte[] encode(BufferedImage img, String format, boolean progressive) throws IOException {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(format);
        ImageWriter w = it.next();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bos)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            if (progressive) p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            if (format.equals("jpeg")) {
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(0.95f);
            }
            w.write(null, new IIOImage(img, null, null), p);
        }
        w.dispose();
        return bos.toByteArray();
    }

    /** A baseline JPEG with a restart marker every {@code interval} MCUs (a DRI node in ImageIO's metadata). */
    static byte[] jpegWithRestarts(BufferedImage img, int interval) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = w.getDefaultWriteParam();
        IIOMetadata md = w.getDefaultImageMetadata(new ImageTypeSpecifier(img), p);
        String format = "javax_imageio_jpeg_image_1.0";
        IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(format);
        IIOMetadataNode dri = new IIOMetadataNode("dri");
        dri.setAttribute("interval", Integer.toString(interval));
        IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
        markers.insertBefore(dri, markers.getFirstChild());
        md.setFromTree(format, root);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bos)) {
            w.setOutput(out);
            w.write(null, new IIOImage(img, null, md), p);
        }
        w.dispose();
        return bos.toByteArray();
    }

    /** What our decoder should produce: luma of ImageIO's decoding, composited over white. */
    static float[] reference(byte[] file) throws IOException {
        BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(file));
        float[] out = new float[img.getWidth() * img.getHeight()];
        boolean grey = img.getColorModel().getNumComponents() <= 2 && !(img.getColorModel() instanceof IndexColorModel);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                float v;
                float a;
                if (grey && img.getColorModel().getNumColorComponents() == 1 && img.getRaster().getNumBands() >= 1) {
                    int bits = img.getColorModel().getComponentSize(0);
                    v = img.getRaster().getSample(x, y, 0) * 255f / ((1 << bits) - 1);
                    a = img.getColorModel().hasAlpha() ? img.getRaster().getSample(x, y, 1) / (float) ((1 << bits) - 1) : 1f;
                } else {
                    int argb = img.getRGB(x, y);
                    a = (argb >>> 24) / 255f;
                    v = 0.299f * ((argb >> 16) & 0xFF) + 0.587f * ((argb >> 8) & 0xFF) + 0.114f * (argb & 0xFF);
                }
                out[y * img.getWidth() + x] = v * a + 255f * (1 - a);
            }
        }
        return out;
    }

    static void assertClose(float[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= tol, "max difference " + worst + " > " + tol);
    }

    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_3BYTE_BGR,
            BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_BINARY, BufferedImage.TYPE_BYTE_INDEXED})
    void pngMatchesImageIO(int type) throws IOException {
        for (boolean interlaced : new boolean[] {false, true}) {
            for (int[] size : new int[][] {{37, 23}, {1, 1}, {9, 3}}) {
                byte[] file = encode(picture(type, size[0], size[1]), "png", interlaced);
                GreyImage g = PngDecoder.decode("t.png", file);
                assertEquals(size[0], g.width());
                assertEquals(size[1], g.height());
                assertClose(reference(file), g.pixels(), 0.51);
            }
        }
    }

    @Test void lowBitDepthGreyAndPalette() throws IOException {
        for (int bits : new int[] {1, 2, 4}) {
            int n = 1 << bits;
            byte[] lut = new byte[n];
            for (int i = 0; i < n; i++) lut[i] = (byte) (i * 255 / (n - 1));
            IndexColorModel cm = new IndexColorModel(bits, n, lut, lut, lut);
            BufferedImage img = new BufferedImage(13, 7, BufferedImage.TYPE_BYTE_BINARY, cm);
            for (int y = 0; y < 7; y++) for (int x = 0; x < 13; x++) img.getRaster().setSample(x, y, 0, (x + y) % n);
            byte[] file = encode(img, "png", false);
            assertClose(reference(file), PngDecoder.decode("t.png", file).pixels(), 0.51);
        }
    }

    @Test void corruptPngsAreRejectedWithAReason() throws IOException {
        byte[] file = encode(picture(BufferedImage.TYPE_BYTE_GRAY, 20, 20), "png", false);
        byte[] flipped = file.clone();
        flipped[40] ^= 1;
        assertTrue(assertThrows(DataException.class, () -> PngDecoder.decode("t.png", flipped)).getMessage().contains("CRC"));
        byte[] cut = java.util.Arrays.copyOf(file, file.length - 20);
        assertTrue(assertThrows(DataException.class, () -> PngDecoder.decode("t.png", cut)).getMessage().contains("truncated"));
        assertThrows(DataException.class, () -> PngDecoder.decode("t.png", "hello".getBytes()));
    }

    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_3BYTE_BGR})
    void baselineJpegMatchesImageIO(int type) throws IOException {
        for (int[] size : new int[][] {{64, 48}, {37, 23}, {5, 3}}) {
            byte[] file = encode(picture(type, size[0], size[1]), "jpeg", false);
            GreyImage g = JpegDecoder.decode("t.jpg", file);
            assertEquals(size[0], g.width());
            assertEquals(size[1], g.height());
            float[] ref = reference(file);
            double sum = 0;
            for (int i = 0; i < ref.length; i++) sum += Math.abs(ref[i] - g.pixels()[i]);
            // ImageIO converts YCbCr→RGB→luma with chroma upsampling; we take Y directly, so allow rounding-level differences.
            assertTrue(sum / ref.length < 3.0, "mean abs difference " + sum / ref.length);
        }
    }

    @Test void jpegWithRestartIntervals() throws IOException {
        for (int type : new int[] {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_3BYTE_BGR}) {
            byte[] file = jpegWithRestarts(picture(type, 37, 23), 2);
            assertTrue(Images.segment(file, 0xDD) > 0, "the file has a DRI segment");
            GreyImage g = JpegDecoder.decode("t.jpg", file);
            float[] ref = reference(file);
            double sum = 0;
            for (int i = 0; i < ref.length; i++) sum += Math.abs(ref[i] - g.pixels()[i]);
            assertTrue(sum / ref.length < 3.0, "mean abs difference " + sum / ref.length);
            int rst = 0;
            for (int i = 0; i + 1 < file.length; i++) if ((file[i] & 0xFF) == 0xFF && (file[i + 1] & 0xF8) == 0xD0) rst++;
            assertTrue(rst > 0, "RSTn markers: " + rst);
        }
    }

    @Test void progressiveJpegIsRefusedClearly() throws IOException {
        byte[] file = encode(picture(BufferedImage.TYPE_3BYTE_BGR, 32, 32), "jpeg", true);
        assertTrue(assertThrows(DataException.class, () -> JpegDecoder.decode("t.jpg", file)).getMessage().contains("progressive JPEG"));
    }

    @Test void prepareInvertsLightBackgroundsAndResizes() {
        float[] px = new float[8 * 4];
        java.util.Arrays.fill(px, 255f);
        px[1 * 8 + 3] = 0f; // one dark pixel on white
        GreyImage img = new GreyImage(8, 4, px);
        assertTrue(ImageInput.wouldInvert(img, ImageInput.Invert.AUTO));
        float[] out = ImageInput.prepare(img, 4, 4, ImageInput.Invert.AUTO);
        assertEquals(16, out.length);
        float max = 0, sum = 0;
        for (float v : out) { max = Math.max(max, v); sum += v; }
        assertTrue(max > 0 && max <= 255, "some ink survives");
        assertEquals(255f / 4, sum, 1e-3, "area averaging keeps the ink: the 8x8 padded canvas shrinks to 4x4 in 2x2 boxes");
        assertArrayEquals(new float[] {0, 0, 0, 0}, java.util.Arrays.copyOfRange(ImageInput.prepare(
                new GreyImage(2, 2, new float[] {0, 0, 0, 0}), 2, 2, ImageInput.Invert.NO), 0, 4));
    }

    /** What our colour decoder should produce: ImageIO's decoding channel-major, grey replicated, composited over white. */
    static float[] referenceRgb(byte[] file) throws IOException {
        BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(file));
        int w = img.getWidth(), plane = w * img.getHeight();
        float[] luma = reference(file), out = new float[3 * plane];
        boolean grey = img.getColorModel().getNumColorComponents() == 1 && !(img.getColorModel() instanceof IndexColorModel);
        for (int i = 0; i < plane; i++) {
            int argb = img.getRGB(i % w, i / w);
            float a = (argb >>> 24) / 255f;
            for (int c = 0; c < 3; c++) {
                // ImageIO's getRGB converts grey through a colour space, so grey files are compared by their samples (via luma).
                out[c * plane + i] = grey ? luma[i] : ((argb >> (16 - 8 * c)) & 0xFF) * a + 255f * (1 - a);
            }
        }
        return out;
    }

    /** The luma of a channel-major RGB decoding. */
    static float[] luma(RgbImage rgb) {
        int plane = rgb.width() * rgb.height();
        float[] p = rgb.pixels(), out = new float[plane];
        for (int i = 0; i < plane; i++) out[i] = 0.299f * p[i] + 0.587f * p[plane + i] + 0.114f * p[2 * plane + i];
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_3BYTE_BGR,
            BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_BINARY, BufferedImage.TYPE_BYTE_INDEXED})
    void pngInColourMatchesImageIOAndItsLumaIsTheGreyDecoding(int type) throws IOException {
        for (boolean interlaced : new boolean[] {false, true}) {
            byte[] file = encode(picture(type, 37, 23), "png", interlaced);
            RgbImage rgb = PngDecoder.decodeRgb("t.png", file);
            assertEquals(37, rgb.width());
            assertEquals(23, rgb.height());
            assertClose(referenceRgb(file), rgb.pixels(), 0.51);
            assertClose(PngDecoder.decode("t.png", file).pixels(), luma(rgb), 1e-3);
        }
    }

    /**
     * Colour gradients and a black box, without {@link #picture}'s per-pixel noise: JPEG subsamples chroma, and ImageIO
     * interpolates it back where we repeat samples, which differs by tens of levels on noise but little on real pictures.
     */
    static BufferedImage smoothPicture(int type, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x * 255) / Math.max(1, w - 1), g = (y * 255) / Math.max(1, h - 1), b = 255 - (r + g) / 2;
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(w / 4, h / 4, w / 3, h / 5);
        g.dispose();
        return img;
    }

    /** A baseline JPEG without chroma subsampling (every component 1x1), so decoders that upsample differently agree. */
    static byte[] jpeg444(BufferedImage img) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = w.getDefaultWriteParam();
        IIOMetadata md = w.getDefaultImageMetadata(new ImageTypeSpecifier(img), p);
        String format = "javax_imageio_jpeg_image_1.0";
        IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(format);
        var specs = root.getElementsByTagName("componentSpec");
        for (int i = 0; i < specs.getLength(); i++) {
            ((IIOMetadataNode) specs.item(i)).setAttribute("HsamplingFactor", "1");
            ((IIOMetadataNode) specs.item(i)).setAttribute("VsamplingFactor", "1");
        }
        md.setFromTree(format, root);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bos)) {
            w.setOutput(out);
            w.write(null, new IIOImage(img, null, md), p);
        }
        w.dispose();
        return bos.toByteArray();
    }

    static double meanAbsDifference(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        double sum = 0;
        for (int i = 0; i < expected.length; i++) sum += Math.abs(expected[i] - actual[i]);
        return sum / expected.length;
    }

    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_3BYTE_BGR})
    void baselineJpegInColourMatchesImageIO(int type) throws IOException {
        for (int[] size : new int[][] {{64, 48}, {37, 23}, {5, 3}}) {
            byte[] file = jpeg444(picture(type, size[0], size[1]));
            RgbImage rgb = JpegDecoder.decodeRgb("t.jpg", file);
            assertEquals(size[0], rgb.width());
            assertEquals(size[1], rgb.height());
            // Without subsampling only the IDCT's and the colour conversion's rounding differ.
            double diff = meanAbsDifference(referenceRgb(file), rgb.pixels());
            assertTrue(diff < 1.0, size[0] + "x" + size[1] + ": mean abs difference " + diff);
            // Grey takes Y directly; the luma of the converted colour is Y up to rounding, and up to clamping where the
            // compression pushed a colour out of range: so the noise-free picture here.
            byte[] smooth = jpeg444(smoothPicture(type, size[0], size[1]));
            double lumaDiff = meanAbsDifference(JpegDecoder.decode("t.jpg", smooth).pixels(), luma(JpegDecoder.decodeRgb("t.jpg", smooth)));
            assertTrue(lumaDiff < 1.0, size[0] + "x" + size[1] + ": mean |grey - luma(rgb)| " + lumaDiff);
        }
    }

    @Test void subsampledJpegInColourIsCloseToImageIO() throws IOException {
        // ImageIO interpolates subsampled chroma where we repeat samples: they differ at sharp colour edges only.
        byte[] file = encode(smoothPicture(BufferedImage.TYPE_3BYTE_BGR, 64, 48), "jpeg", false);
        assertTrue(Images.segment(file, 0xC0) > 0 && (file[Images.segment(file, 0xC0) + 7] & 0xFF) == 0x22, "4:2:0 subsampled luma");
        double diff = meanAbsDifference(referenceRgb(file), JpegDecoder.decodeRgb("t.jpg", file).pixels());
        assertTrue(diff < 3.0, "mean abs difference " + diff);
    }

    @Test void theSmokeTestsJpegFixtureDecodesInColourAsItsGrey() throws IOException {
        // What cli/src/test/fixtures/MakeJpeg.java writes: grey content in a 3-component (YCbCr) baseline JPEG.
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) img.setRGB(x, y, (x * 9 % 256) * 0x010101);
        byte[] file = encode(img, "jpeg", false);
        RgbImage rgb = tinynn.data.image.ImageDecoder.decodeRgb("digit.jpg", file);
        float[] grey = tinynn.data.image.ImageDecoder.decode("digit.jpg", file).pixels();
        int plane = 28 * 28;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) assertEquals(grey[i], rgb.pixels()[c * plane + i], 2.0, "channel " + c + " pixel " + i);
        }
    }
}
