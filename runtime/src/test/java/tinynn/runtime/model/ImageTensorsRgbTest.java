package tinynn.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tinynn.data.ImageDataset;
import tinynn.graph.DType;
import tinynn.graph.Shape;

/** RGB images (CIFAR-10's layout: per image the red, green, then blue plane) reach a CNN as [N, 3, H, W]. */
class ImageTensorsRgbTest {
    @Test
    void rgbImagesShapedAsNchwKeepEachChannelInItsPlane() {
        int n = 2, h = 4, w = 5;
        byte[] pixels = new byte[n * 3 * h * w];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 7);
        ImageDataset ds = new ImageDataset(n, h, w, pixels, new byte[] {3, 9}, 10, 3);

        ImageTensors t = ImageTensors.of(ds, DType.F32).shaped(Shape.of(3, h, w));

        assertArrayEquals(new int[] {n, 3, h, w}, t.inputs().shape().dims());
        for (int img = 0; img < n; img++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) {
                        int flat = ((img * 3 + c) * h + y) * w + x;
                        assertEquals((pixels[img * 3 * h * w + c * h * w + y * w + x] & 0xFF) / 255f, t.inputs().get(flat), 0f);
                    }
        assertArrayEquals(new int[] {3, 9}, t.labels());
        assertEquals(1f, t.targets().get(10 + 9), 0f);
    }
}
