package tinynn.cli;

import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A small learnable MNIST-like data set (the same recipe as src/test/fixtures/make_fixture.py):
 * 28x28 images of 10 classes, class c a bright square in cell c of a 4x3 grid, jittered, on noise.
 */
final class Fixtures {
    static final int SIDE = 28;

    final Path dir;
    final Path trainImages, trainLabels, testImages, testLabels, trainCsv, testCsv, png;

    private Fixtures(Path dir) {
        this.dir = dir;
        trainImages = dir.resolve("train-images-idx3-ubyte");
        trainLabels = dir.resolve("train-labels-idx1-ubyte");
        testImages = dir.resolve("t10k-images-idx3-ubyte");
        testLabels = dir.resolve("t10k-labels-idx1-ubyte");
        trainCsv = dir.resolve("train.csv");
        testCsv = dir.resolve("test.csv");
        png = dir.resolve("digit3.png");
    }

    static int[] image(int cls, Random rng) {
        int[] px = new int[SIDE * SIDE];
        for (int i = 0; i < px.length; i++) px[i] = rng.nextInt(41);
        int x0 = 1 + (cls % 4) * 7 + rng.nextInt(3) - 1, y0 = 2 + (cls / 4) * 8 + rng.nextInt(3) - 1;
        for (int y = Math.max(0, y0); y < Math.min(SIDE, y0 + 6); y++) {
            for (int x = Math.max(0, x0); x < Math.min(SIDE, x0 + 6); x++) px[y * SIDE + x] = 200 + rng.nextInt(56);
        }
        return px;
    }

    static Fixtures write(Path dir, int train, int test) throws IOException {
        Fixtures f = new Fixtures(dir);
        Random rng = new Random(7);
        split(f.trainImages, f.trainLabels, f.trainCsv, train, rng);
        split(f.testImages, f.testLabels, f.testCsv, test, rng);
        int[] three = image(3, new Random(99));
        BufferedImage img = new BufferedImage(2 * SIDE, 2 * SIDE, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 2 * SIDE; y++) {
            for (int x = 0; x < 2 * SIDE; x++) {
                int v = 255 - three[(y / 2) * SIDE + x / 2];
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        ImageIO.write(img, "png", f.png.toFile());
        return f;
    }

    private static void split(Path images, Path labels, Path csv, int n, Random rng) throws IOException {
        List<Integer> ls = new ArrayList<>();
        for (int i = 0; i < n; i++) ls.add(i % 10);
        Collections.shuffle(ls, rng);
        StringBuilder sb = new StringBuilder("label");
        for (int i = 0; i < SIDE * SIDE; i++) sb.append(",p").append(i);
        sb.append('\n');
        try (DataOutputStream im = new DataOutputStream(Files.newOutputStream(images));
             DataOutputStream lb = new DataOutputStream(Files.newOutputStream(labels))) {
            im.writeInt(0x00000803);
            im.writeInt(n);
            im.writeInt(SIDE);
            im.writeInt(SIDE);
            lb.writeInt(0x00000801);
            lb.writeInt(n);
            for (int c : ls) {
                int[] px = image(c, rng);
                for (int p : px) im.write(p);
                lb.write(c);
                sb.append(c);
                for (int p : px) sb.append(',').append(p);
                sb.append('\n');
            }
        }
        Files.writeString(csv, sb);
    }

    static void writeBytes(Path p, byte[] b) throws IOException {
        try (OutputStream o = Files.newOutputStream(p)) {
            o.write(b);
        }
    }
}
