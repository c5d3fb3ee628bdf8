package tinynn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.data.image.GreyImage;
import tinynn.data.image.ImageDecoder;
import tinynn.data.image.PngEncoder;
import tinynn.data.image.RgbImage;

class NnPaintExampleTest {

    /**
     * The quick run paints the drawn sunset. A network that learned nothing about positions paints at best the mean
     * colour (mean_colour_mse); the threshold asks for a fifth of that, which needs the sun, the hills and the house's
     * edges roughly in place (60 epochs reach about a twentieth).
     */
    @Test
    void paintsTheDrawnPicture(@TempDir Path tmp) throws Exception {
        StringWriter log = new StringWriter();
        ExampleResult r = Examples.run(Examples.named("nn-paint"), ExampleOptions.DEFAULTS.withQuick(true)
                .withOutDir(tmp).withThreads(1), new PrintWriter(log));
        assertTrue(r.get("final_mse") < r.get("mean_colour_mse") / 5, r.metrics() + "\n" + log);
        assertEquals(7, r.files().size(), r.files().toString()); // the target and six paintings
        for (Path f : r.files()) {
            GreyImage g = ImageDecoder.decode(f);
            assertEquals(48, g.width(), f.toString());
            assertEquals(48, g.height(), f.toString());
            assertTrue(spread(g.pixels()) > 50, f + " is nearly constant");
        }
    }

    /** --image: a PNG larger than MAX_SIDE is shrunk by a whole factor and painted at that size. */
    @Test
    void paintsAGivenPicture(@TempDir Path tmp) throws Exception {
        int w = 300, h = 150;
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) rgb[y * w + x] = x < w / 2 ? 0xff0000 : (y * 255 / h) << 8;
        Path picture = tmp.resolve("in.png");
        Files.write(picture, PngEncoder.rgb(w, h, rgb));
        ExampleResult r = Examples.run(Examples.named("nn-paint"), ExampleOptions.DEFAULTS.withQuick(true).withImage(picture)
                .withEpochs(1).withOutDir(tmp.resolve("out")).withThreads(1), new PrintWriter(new StringWriter()));
        GreyImage target = ImageDecoder.decode(r.files().getFirst());
        assertEquals(100, target.width());
        assertEquals(50, target.height());
        assertTrue(Double.isFinite(r.get("final_mse")));
    }

    @Test
    void aMissingPictureIsNamed(@TempDir Path tmp) {
        Path missing = tmp.resolve("nope.png");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Examples.run(Examples.named("nn-paint"),
                ExampleOptions.DEFAULTS.withImage(missing).withOutDir(tmp), new PrintWriter(new StringWriter())));
        assertEquals("--image " + missing + ": no such file; give a PNG or JPEG picture", e.getMessage());
    }

    @Test
    void shrinkAveragesBlocks() {
        // 4x2, red channel 0..7, green 10, blue 0; halved to 2x1.
        float[] px = new float[3 * 8];
        for (int i = 0; i < 8; i++) { px[i] = i; px[8 + i] = 10; }
        RgbImage s = NnPaintExample.shrink(new RgbImage(4, 2, px), 2);
        assertEquals(2, s.width());
        assertEquals(1, s.height());
        assertEquals((0 + 1 + 4 + 5) / 4f, s.get(0, 0, 0));
        assertEquals((2 + 3 + 6 + 7) / 4f, s.get(0, 1, 0));
        assertEquals(10f, s.get(1, 1, 0));
    }

    private static double spread(float[] v) {
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float x : v) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
        return hi - lo;
    }
}
