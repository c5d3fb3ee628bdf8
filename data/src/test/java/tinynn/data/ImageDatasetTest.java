package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDatasetTest {
    @TempDir
    Path tmp;

    // three 2x2 images with known pixels and labels 3, 0, 9
    private static final byte[] PIXELS = {0, (byte) 255, 51, 102, 1, 2, 3, 4, (byte) 128, 0, 0, 7};
    private static final byte[] LABELS = {3, 0, 9};

    private Path images;
    private Path labels;

    private void writePair(int[] imageDims, byte[] pixels, int[] labelDims, byte[] labelBytes) throws IOException {
        images = Files.write(tmp.resolve("imgs"), Fixtures.ubyte(imageDims, pixels));
        labels = Files.write(tmp.resolve("lbls"), Fixtures.gzip(Fixtures.ubyte(labelDims, labelBytes)));
    }

    private ImageDataset loadGood() throws IOException {
        writePair(new int[] {3, 2, 2}, PIXELS, new int[] {3}, LABELS);
        return ImageDataset.load(images, labels, 10);
    }

    @Test
    void loadsShapeLabelsAndPixels() throws IOException {
        ImageDataset data = loadGood();
        assertEquals(3, data.count());
        assertEquals(2, data.rows());
        assertEquals(2, data.cols());
        assertEquals(4, data.features());
        assertEquals(10, data.numClasses());
        assertArrayEquals(PIXELS, data.pixels());
        assertEquals(9, data.label(2));
        int[] out = {-1, -1, -1, -1};
        data.labels(0, 3, out, 1);
        assertArrayEquals(new int[] {-1, 3, 0, 9}, out);
    }

    @Test
    void featuresAreNormalisedIntoTheCallersBuffer() throws IOException {
        ImageDataset data = loadGood();
        float[] f = new float[10];
        f[0] = 42f;
        data.features(1, 3, f, 1);
        assertEquals(42f, f[0]);
        assertArrayEquals(new float[] {1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f, 128 / 255f, 0f, 0f, 7 / 255f},
                java.util.Arrays.copyOfRange(f, 1, 9));
        assertEquals(0f, f[9]);
        double[] d = new double[4];
        data.features(0, 1, d, 0);
        assertArrayEquals(new double[] {0.0, 1.0, 51 / 255.0, 102 / 255.0}, d);
    }

    @Test
    void oneHotOverwritesItsRegion() throws IOException {
        ImageDataset data = loadGood();
        float[] f = new float[20];
        java.util.Arrays.fill(f, 5f);
        data.oneHot(1, 3, f, 0);
        float[] expected = new float[20];
        expected[0] = 1f; // label 0
        expected[10 + 9] = 1f; // label 9
        assertArrayEquals(expected, f);
        double[] d = new double[10];
        data.oneHot(0, 1, d, 0);
        assertEquals(1.0, d[3]);
        assertEquals(1.0, java.util.Arrays.stream(d).sum());
    }

    @Test
    void outOfRangeRequestsAreRejected() throws IOException {
        ImageDataset data = loadGood();
        assertThrows(IndexOutOfBoundsException.class, () -> data.features(2, 4, new float[8], 0));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> data.features(0, 2, new float[7], 0));
        assertEquals("destination needs 8 slots from offset 0 but has length 7", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> data.oneHot(0, 1, new float[10], 1));
    }

    @Test
    void sliceCopiesARange() throws IOException {
        ImageDataset slice = loadGood().slice(1, 3);
        assertEquals(new ImageDataset(2, 2, 2, java.util.Arrays.copyOfRange(PIXELS, 4, 12), new byte[] {0, 9}, 10),
                slice);
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        writePair(new int[] {3, 2, 2}, PIXELS, new int[] {2}, new byte[] {1, 2});
        DataException e = assertThrows(DataException.class, () -> ImageDataset.load(images, labels, 10));
        assertEquals(images + " has 3 images but " + labels + " has 2 labels; use the labels from the same split"
                + " (train-* with train-*, t10k-* with t10k-*)", e.getMessage());
    }

    @Test
    void labelOutOfRangeIsReportedWithItsIndex() throws IOException {
        writePair(new int[] {3, 2, 2}, PIXELS, new int[] {3}, new byte[] {1, 2, 10});
        DataException e = assertThrows(DataException.class, () -> ImageDataset.load(images, labels, 10));
        assertEquals(labels + ": label 10 at index 2 is out of range for 10 classes; the file is corrupt or belongs"
                + " to another data set", e.getMessage());
    }

    @Test
    void swappedFilesAreDiagnosed() throws IOException {
        writePair(new int[] {3, 2, 2}, PIXELS, new int[] {3}, LABELS);
        DataException e = assertThrows(DataException.class, () -> ImageDataset.load(labels, images, 10));
        assertEquals(labels + ": an images file must have 3 dimensions (count x rows x cols) but this one is 3;"
                + " did you swap the images and labels files?", e.getMessage());
    }

    @Test
    void specLoadsTheStandardLayout() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("mnist"));
        Files.write(dir.resolve(DatasetSpec.TRAIN_IMAGES), Fixtures.ubyte(new int[] {3, 2, 2}, PIXELS));
        Files.write(dir.resolve(DatasetSpec.TRAIN_LABELS), Fixtures.ubyte(new int[] {3}, LABELS));
        Files.write(dir.resolve(DatasetSpec.TEST_IMAGES), Fixtures.ubyte(new int[] {1, 2, 2}, new byte[4]));
        Files.write(dir.resolve(DatasetSpec.TEST_LABELS), Fixtures.ubyte(new int[] {1}, new byte[] {7}));
        assertEquals(new ImageDataset(3, 2, 2, PIXELS, LABELS, 10), DatasetSpec.MNIST.train(dir));
        assertEquals(7, DatasetSpec.MNIST.test(dir).label(0));
    }

    @Test
    void constructorGuardsItsInvariants() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset(2, 2, 2, new byte[8], new byte[] {0, 12}, 10));
        assertTrue(e.getMessage().contains("label 12 at index 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImageDataset(2, 2, 2, new byte[7], new byte[2], 10));
    }

    @Test
    void pixelStatisticsAreTheMeanAndPopulationStdOfTheFeatures() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        byte[] pixels = new byte[3 * 2 * 4 * 5];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (rng.nextInt(4) == 0 ? rng.nextInt(256) : 0);
        ImageDataset ds = new ImageDataset(6, 4, 5, pixels, new byte[6], 2, 1);
        ImageDataset rgb = new ImageDataset(2, 4, 5, pixels.clone(), new byte[2], 2, 3);
        for (ImageDataset d : new ImageDataset[] {ds, rgb}) {
            double[] f = new double[d.count() * d.features()];
            d.features(0, d.count(), f, 0);
            double mean = 0, sq = 0;
            for (double v : f) mean += v;
            mean /= f.length;
            for (double v : f) sq += (v - mean) * (v - mean);
            double[] ms = d.pixelStatistics();
            assertEquals(mean, ms[0], 1e-15);
            assertEquals(Math.sqrt(sq / f.length), ms[1], 1e-15);
        }
    }
}
