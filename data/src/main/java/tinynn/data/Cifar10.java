package tinynn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CIFAR-10's binary version: each batch file is a run of 3073-byte records, a label byte (0..9) followed
 * by a 32x32 colour image as 1024 red, 1024 green, then 1024 blue bytes, each plane row-major. That is exactly
 * {@link ImageDataset}'s RGB layout (channel-major, NCHW), so pixels are copied as they are.
 *
 * <p>The reader checks structure only (record size, labels below 10) so that hand-placed or generated files in
 * the same format load too; the fetcher pins the real files' sizes and the archive's MD5
 * ({@link DatasetSpec#CIFAR10}).
 */
public final class Cifar10 {
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int CLASSES = 10;
    /** One record: the label byte then the image. */
    public static final int RECORD_BYTES = 1 + CHANNELS * SIDE * SIDE;
    /** Records in each of the real batch files. */
    public static final int RECORDS_PER_BATCH = 10_000;

    public static final List<String> TRAIN_FILES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";

    /** Label i's name, as the archive's batches.meta.txt lists them. */
    public static final List<String> CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private Cifar10() {}

    /** The five training batches of {@code dir} as one data set (50,000 images for the real files). */
    public static ImageDataset train(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String name : TRAIN_FILES) {
            files.add(dir.resolve(name));
        }
        return read(files);
    }

    /** The test batch of {@code dir} (10,000 images for the real file). */
    public static ImageDataset test(Path dir) throws IOException {
        return read(List.of(dir.resolve(TEST_FILE)));
    }

    /**
     * The records of {@code files}, in order, as one data set of 3x32x32 images.
     *
     * @throws DataException naming the file if it is missing, empty, not a whole number of records, or holds a
     *     label of 10 or more
     */
    public static ImageDataset read(List<Path> files) throws IOException {
        long total = 0;
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new DataException(file + ": no such CIFAR-10 batch file; put data_batch_1.bin..data_batch_5.bin"
                        + " and test_batch.bin (from cifar-10-binary.tar.gz) in that directory");
            }
            long size = Files.size(file);
            if (size == 0 || size % RECORD_BYTES != 0) {
                throw new DataException(file + ": " + size + " bytes is not a whole number of " + RECORD_BYTES
                        + "-byte CIFAR-10 records (label + 3x32x32 pixels); the file is truncated or not a CIFAR-10"
                        + " binary batch");
            }
            total += size / RECORD_BYTES;
        }
        int image = RECORD_BYTES - 1;
        if (total * image > Integer.MAX_VALUE - 8) {
            throw new DataException(files + ": " + total + " images do not fit in one data set");
        }
        int count = (int) total;
        byte[] pixels = new byte[count * image];
        byte[] labels = new byte[count];
        int n = 0;
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            if (n + (long) bytes.length / RECORD_BYTES > count || bytes.length % RECORD_BYTES != 0) {
                throw new DataException(file + ": changed while being read; run again");
            }
            for (int r = 0; r < bytes.length / RECORD_BYTES; r++, n++) {
                int at = r * RECORD_BYTES;
                int label = bytes[at] & 0xFF;
                if (label >= CLASSES) {
                    throw new DataException(file + ": record " + r + " has label " + label + ", but CIFAR-10 labels are"
                            + " 0..9; the file is corrupt or not a CIFAR-10 binary batch (CIFAR-100's have two label bytes)");
                }
                labels[n] = (byte) label;
                System.arraycopy(bytes, at + 1, pixels, n * image, image);
            }
        }
        return new ImageDataset(count, SIDE, SIDE, pixels, labels, CLASSES, CHANNELS);
    }
}
