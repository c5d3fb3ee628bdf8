package tinynn.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.data.DataException;

/**
 * Colour decoding: what PngEncoder writes comes back channel for channel in channel-major order, grey files are
 * replicated to three channels, and the grey decoding of a file is the luma of its colour decoding. (The cli module's
 * ImageDecodingTest compares both decodings with ImageIO over every PNG colour type and JPEG.)
 */
class RgbDecodingTest {

    /** Distinct red, green and blue in every pixel, so a channel mix-up or a transposition shows. */
    private static int[] colours(int w, int h) {
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) rgb[i] = (i * 37 % 256) << 16 | (255 - i * 11 % 256) << 8 | (i * 91 + 7) % 256;
        return rgb;
    }

    @Test void anRgbPngRoundTripsChannelMajor(@TempDir Path dir) throws Exception {
        int w = 5, h = 3;
        int[] rgb = colours(w, h);
        Path file = dir.resolve("c.png");
        Files.write(file, PngEncoder.rgb(w, h, rgb));
        RgbImage img = ImageDecoder.decodeRgb(file);
        assertEquals(w, img.width());
        assertEquals(h, img.height());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb[y * w + x];
                assertEquals(p >>> 16 & 0xFF, img.get(0, x, y), "red at " + x + "," + y);
                assertEquals(p >>> 8 & 0xFF, img.get(1, x, y), "green at " + x + "," + y);
                assertEquals(p & 0xFF, img.get(2, x, y), "blue at " + x + "," + y);
                assertEquals(p >>> 8 & 0xFF, img.pixels()[w * h + y * w + x], "the green plane follows the red one");
            }
        }
    }

    @Test void aGreyPngIsReplicatedToThreeChannels() {
        int w = 4, h = 2;
        byte[] grey = new byte[w * h];
        for (int i = 0; i < grey.length; i++) grey[i] = (byte) (i * 31);
        RgbImage img = ImageDecoder.decodeRgb("g.png", PngEncoder.grey(w, h, grey));
        float[] expected = new float[3 * w * h];
        for (int c = 0; c < 3; c++) for (int i = 0; i < grey.length; i++) expected[c * w * h + i] = grey[i] & 0xFF;
        assertArrayEquals(expected, img.pixels());
    }

    @Test void greyIsTheLumaOfRgb() {
        int w = 6, h = 4;
        byte[] png = PngEncoder.rgb(w, h, colours(w, h));
        GreyImage grey = ImageDecoder.decode("c.png", png);
        RgbImage rgb = ImageDecoder.decodeRgb("c.png", png);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float luma = 0.299f * rgb.get(0, x, y) + 0.587f * rgb.get(1, x, y) + 0.114f * rgb.get(2, x, y);
                assertEquals(luma, grey.pixels()[y * w + x], 1e-3, "pixel " + x + "," + y);
            }
        }
    }

    @Test void anythingElseIsRefusedNamingTheFile() {
        DataException e = assertThrows(DataException.class, () -> ImageDecoder.decodeRgb("notes.txt", "hello".getBytes()));
        assertEquals("notes.txt: not a PNG or JPEG image", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new float[4]));
    }
}
