package tinynn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tinynn.data.image.GreyImage;
import tinynn.data.image.ImageDecoder;
import tinynn.data.image.RgbImage;

class ImageGridTest {

    @Test
    void tilesImagesWithGreyGaps() {
        // Three 2x3 images: all 0, all 1, all 0.5; two per row.
        float[] v = new float[3 * 6];
        for (int i = 6; i < 12; i++) v[i] = 1;
        for (int i = 12; i < 18; i++) v[i] = 0.5f;
        GreyImage g = ImageDecoder.decode("grid.png", ImageGrid.grey(v, 0, 3, 2, 3, 2, 0, 1));
        int gap = ImageGrid.GAP;
        assertEquals(2 * 3 + 3 * gap, g.width());
        assertEquals(2 * 2 + 3 * gap, g.height());
        assertEquals(0, pixel(g, gap, gap), 1e-6);                       // first tile, black
        assertEquals(255, pixel(g, 2 * gap + 3, gap), 1e-6);             // second tile, white
        assertEquals(128, pixel(g, gap, 2 * gap + 2), 1e-6);             // third tile, mid grey
        assertEquals(128, pixel(g, 0, 0), 1e-6);                         // the gap
    }

    @Test
    void colourTilesTakeTheirChannelsFromTheNchwPlanes() {
        // Two 2x2 images, NCHW: the first pure red, the second red 0, green 0.5, blue 1 (clamped from 2).
        float[] v = new float[2 * 3 * 4];
        for (int i = 0; i < 4; i++) {
            v[i] = 1;
            v[12 + 4 + i] = 0.5f;
            v[12 + 8 + i] = 2;
        }
        RgbImage g = ImageDecoder.decodeRgb("grid.png", ImageGrid.rgb(v, 0, 2, 2, 2, 1, 0, 1));
        int gap = ImageGrid.GAP;
        assertEquals(2 + 2 * gap, g.width());
        assertEquals(2 * 2 + 3 * gap, g.height());
        assertEquals(255, g.get(0, gap, gap), 1e-6);
        assertEquals(0, g.get(1, gap + 1, gap + 1), 1e-6);
        assertEquals(0, g.get(2, gap, gap), 1e-6);
        int y1 = 2 * gap + 2;                                             // second tile, below the first
        assertEquals(0, g.get(0, gap, y1), 1e-6);
        assertEquals(128, g.get(1, gap + 1, y1 + 1), 1e-6);
        assertEquals(255, g.get(2, gap, y1), 1e-6);
        assertEquals(128, g.get(0, 0, 0), 1e-6);                          // the gap, mid grey
        assertEquals(128, g.get(2, 0, 0), 1e-6);
    }

    private static double pixel(GreyImage g, int x, int y) { return g.pixels()[y * g.width() + x]; }
}
