package tinynn.examples;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import tinynn.data.Cifar10;

/**
 * Generated data in CIFAR-10's exact binary format (the six .bin batches of 3073-byte records), for runs without the
 * real data set: the quick run, the tests, and timing an epoch. It is a learnable toy, not CIFAR: class c is one of
 * five colours (c / 2) painted as horizontal (c even) or vertical (c odd) stripes of random phase and width 3..5 on
 * a dark background, with pixel noise. Flips and small shifts keep the class, as they do for real photographs.
 */
public final class Cifar10Fixture {
    /** Stripe colours as 0xRRGGBB: red, green, blue, yellow, magenta. */
    private static final int[] COLOURS = {0xE02020, 0x20C020, 0x2040E0, 0xE0D020, 0xD020D0};

    private Cifar10Fixture() {}

    /**
     * Writes {@code train} training images spread over data_batch_1..5.bin and {@code test} images into
     * test_batch.bin in {@code dir}; labels cycle through the ten classes.
     */
    public static Path write(Path dir, int train, int test, long seed) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rng = new SplittableRandom(seed);
        int batches = Cifar10.TRAIN_FILES.size();
        for (int b = 0; b < batches; b++) {
            int from = (int) ((long) train * b / batches), to = (int) ((long) train * (b + 1) / batches);
            batch(dir.resolve(Cifar10.TRAIN_FILES.get(b)), from, to, rng);
        }
        batch(dir.resolve(Cifar10.TEST_FILE), 0, test, rng);
        return dir;
    }

    private static void batch(Path file, int from, int to, SplittableRandom rng) throws IOException {
        int side = Cifar10.SIDE, plane = side * side;
        byte[] record = new byte[Cifar10.RECORD_BYTES];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = from; i < to; i++) {
                int label = i % Cifar10.CLASSES;
                int colour = COLOURS[label / 2];
                boolean vertical = label % 2 == 1;
                int period = 2 * (3 + rng.nextInt(3)), phase = rng.nextInt(period);
                record[0] = (byte) label;
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        boolean stripe = ((vertical ? x : y) + phase) % period < period / 2;
                        for (int c = 0; c < 3; c++) {
                            int value = stripe ? (colour >>> (16 - 8 * c)) & 0xFF : 30;
                            value += rng.nextInt(61) - 30;
                            record[1 + c * plane + y * side + x] = (byte) Math.clamp(value, 0, 255);
                        }
                    }
                }
                out.write(record);
            }
        }
    }
}
