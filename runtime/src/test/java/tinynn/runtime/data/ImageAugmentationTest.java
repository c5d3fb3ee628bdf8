package tinynn.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Batch;

class ImageAugmentationTest {
    private static final int C = 3, H = 6, W = 5;

    /** n images of distinct positive values, so every pixel's origin can be told apart from padding (0). */
    private static Batch batch(int n, DType dtype) {
        Tensor x = Tensor.zeros(dtype, Shape.of(n, C, H, W));
        for (int i = 0; i < x.size(); i++) x.set(i, i + 1);
        return new Batch(x, Tensor.zeros(dtype, Shape.of(n, 10)));
    }

    @Test
    void flippingTwiceIsTheIdentityAndOnceMirrorsEachRow() {
        float[] image = new float[C * H * W];
        for (int i = 0; i < image.length; i++) image[i] = i;
        float[] data = image.clone();
        ImageAugmentation.flip(data, 0, C, H, W);
        for (int r = 0; r < C * H; r++)
            for (int x = 0; x < W; x++) assertEquals(image[r * W + W - 1 - x], data[r * W + x]);
        ImageAugmentation.flip(data, 0, C, H, W);
        assertArrayEquals(image, data);
    }

    @Test
    void cropWithPadZeroChangesNothingAndFlipProbabilityZeroKeepsTheBatch() {
        Batch b = batch(4, DType.F32);
        float[] before = b.inputs().f32().clone();
        new ImageAugmentation(C, H, W, 0, 0.0, 7).apply(b, 3, 100);
        assertArrayEquals(before, b.inputs().f32());
    }

    @Test
    void everyPixelComesFromTheSameChannelOfTheSourceShiftedByAtMostPadOrIsPadding() {
        int n = 64, pad = 2;
        Batch b = batch(n, DType.F64);
        double[] src = b.inputs().f64().clone();
        new ImageAugmentation(C, H, W, pad, 0.5, 11).apply(b, 0, 0);
        double[] out = b.inputs().f64();
        Set<String> shifts = new HashSet<>();
        int flips = 0;
        for (int i = 0; i < n; i++) {
            // Recover this image's (dy, dx, flip) as the one consistent with every pixel.
            String found = null;
            for (int flip = 0; flip < 2 && found == null; flip++)
                for (int dy = -pad; dy <= pad && found == null; dy++)
                    for (int dx = -pad; dx <= pad && found == null; dx++) {
                        boolean all = true;
                        for (int c = 0; c < C && all; c++)
                            for (int y = 0; y < H && all; y++)
                                for (int x = 0; x < W && all; x++) {
                                    int cx = flip == 1 ? W - 1 - x : x;
                                    int sy = y + dy, sx = cx + dx;
                                    double want = sy >= 0 && sy < H && sx >= 0 && sx < W ? src[i * C * H * W + (c * H + sy) * W + sx] : 0;
                                    all = out[i * C * H * W + (c * H + y) * W + x] == want;
                                }
                        if (all) found = dy + "," + dx + "," + flip;
                    }
            assertTrue(found != null, "image " + i + " is not a padded crop (and flip) of its source");
            shifts.add(found.substring(0, found.lastIndexOf(',')));
            if (found.endsWith(",1")) flips++;
        }
        assertTrue(shifts.size() > 10, "offsets vary across images: " + shifts);
        assertTrue(flips > 16 && flips < 48, "about half are flipped: " + flips + " of " + n);
    }

    @Test
    void theSameSeedEpochAndPositionGiveTheSameImagesWhateverTheBatching() {
        Batch whole = batch(8, DType.F32);
        new ImageAugmentation(C, H, W, 2, 0.5, 5).apply(whole, 4, 16);
        // The same 8 examples as two batches of 4 starting at positions 16 and 20, through another instance.
        Batch a = batch(8, DType.F32);
        float[] all = a.inputs().f32();
        int half = 4 * C * H * W;
        Batch first = new Batch(Tensor.wrap(Shape.of(4, C, H, W), Arrays.copyOfRange(all, 0, half)), Tensor.zeros(DType.F32, Shape.of(4, 10)));
        Batch second = new Batch(Tensor.wrap(Shape.of(4, C, H, W), Arrays.copyOfRange(all, half, 2 * half)), Tensor.zeros(DType.F32, Shape.of(4, 10)));
        ImageAugmentation other = new ImageAugmentation(C, H, W, 2, 0.5, 5);
        other.apply(second, 4, 20);
        other.apply(first, 4, 16);
        assertArrayEquals(Arrays.copyOfRange(whole.inputs().f32(), 0, half), first.inputs().f32());
        assertArrayEquals(Arrays.copyOfRange(whole.inputs().f32(), half, 2 * half), second.inputs().f32());

        Batch nextEpoch = batch(8, DType.F32), otherSeed = batch(8, DType.F32);
        new ImageAugmentation(C, H, W, 2, 0.5, 5).apply(nextEpoch, 5, 16);
        new ImageAugmentation(C, H, W, 2, 0.5, 6).apply(otherSeed, 4, 16);
        assertFalse(Arrays.equals(whole.inputs().f32(), nextEpoch.inputs().f32()), "another epoch, other draws");
        assertFalse(Arrays.equals(whole.inputs().f32(), otherSeed.inputs().f32()), "another seed, other draws");
    }

    @Test
    void inputsOfAnotherShapeAreRefusedWithTheExpectedShape() {
        Batch grey = new Batch(Tensor.zeros(DType.F32, Shape.of(2, 1, H, W)), Tensor.zeros(DType.F32, Shape.of(2, 10)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageAugmentation.cropAndFlip(C, H, W, 1, 0).apply(grey, 0, 0));
        assertEquals("augmentation of 3x6x5 images got inputs [2, 1, 6, 5]; pass inputs [N, 3, 6, 5]", e.getMessage());
    }
}
