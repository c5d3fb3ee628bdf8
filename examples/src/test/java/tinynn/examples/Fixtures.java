package tinynn.examples;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import tinynn.data.DatasetSpec;

/**
 * A small learnable MNIST-format data set for the examples' quick runs (the recipe of
 * cli/src/test/fixtures/make_fixture.py): 28x28 images of 10 classes, class c a bright 6x6 square in cell c of a
 * 4x3 grid, jittered by a pixel, on noise. Written with MNIST's four file names, so it stands in for MNIST or
 * Fashion-MNIST through --data-dir.
 */
final class Fixtures {
    static final int SIDE = 28;

    private Fixtures() {}

    static int[] image(int cls, Random rng) {
        int[] px = new int[SIDE * SIDE];
        for (int i = 0; i < px.length; i++) px[i] = rng.nextInt(41);
        int x0 = 1 + (cls % 4) * 7 + rng.nextInt(3) - 1, y0 = 2 + (cls / 4) * 8 + rng.nextInt(3) - 1;
        for (int y = Math.max(0, y0); y < Math.min(SIDE, y0 + 6); y++) {
            for (int x = Math.max(0, x0); x < Math.min(SIDE, x0 + 6); x++) px[y * SIDE + x] = 200 + rng.nextInt(56);
        }
        return px;
    }

    /** Writes {@code train} and {@code test} images with labels cycling 0..9 (shuffled) into {@code dir}. */
    static Path digits(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        Random rng = new Random(7);
        split(dir.resolve(DatasetSpec.TRAIN_IMAGES), dir.resolve(DatasetSpec.TRAIN_LABELS), train, rng);
        split(dir.resolve(DatasetSpec.TEST_IMAGES), dir.resolve(DatasetSpec.TEST_LABELS), test, rng);
        return dir;
    }

    private static void split(Path images, Path labels, int n, Random rng) throws IOException {
        int[] ls = new int[n];
        for (int i = 0; i < n; i++) ls[i] = i % 10;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = ls[i];
            ls[i] = ls[j];
            ls[j] = t;
        }
        try (DataOutputStream im = new DataOutputStream(Files.newOutputStream(images));
             DataOutputStream lb = new DataOutputStream(Files.newOutputStream(labels))) {
            im.writeInt(0x00000803);
            im.writeInt(n);
            im.writeInt(SIDE);
            im.writeInt(SIDE);
            lb.writeInt(0x00000801);
            lb.writeInt(n);
            for (int c : ls) {
                for (int p : image(c, rng)) im.write(p);
                lb.write(c);
            }
        }
    }
}
