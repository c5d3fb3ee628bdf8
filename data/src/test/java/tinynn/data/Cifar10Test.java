package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
    @TempDir
    Path tmp;

    /** {@code n} records in CIFAR-10's binary layout: label i % 10, then random pixels. */
    static byte[] batch(int n, int seed) {
        byte[] bytes = new byte[n * Cifar10.RECORD_BYTES];
        new Random(seed).nextBytes(bytes);
        for (int i = 0; i < n; i++) {
            bytes[i * Cifar10.RECORD_BYTES] = (byte) ((i + seed) % 10);
        }
        return bytes;
    }

    @Test
    void recordsBecomeRgbImagesInTheirOwnChannelMajorLayout() throws IOException {
        byte[] a = batch(4, 1), b = batch(2, 2);
        Path fa = Files.write(tmp.resolve("a.bin"), a), fb = Files.write(tmp.resolve("b.bin"), b);

        ImageDataset ds = Cifar10.read(List.of(fa, fb));

        assertEquals(6, ds.count());
        assertEquals(3, ds.channels());
        assertEquals(32, ds.rows());
        assertEquals(32, ds.cols());
        assertEquals(3072, ds.features());
        assertEquals(10, ds.numClasses());
        for (int i = 0; i < 6; i++) {
            byte[] file = i < 4 ? a : b;
            int r = i < 4 ? i : i - 4;
            assertEquals(file[r * 3073] & 0xFF, ds.label(i), "label " + i);
            assertTrue(Arrays.equals(file, r * 3073 + 1, (r + 1) * 3073, ds.pixels(), i * 3072, (i + 1) * 3072), "pixels " + i);
        }
    }

    @Test
    void trainAndTestReadTheStandardFileNames() throws IOException {
        for (int k = 0; k < 5; k++) {
            Files.write(tmp.resolve(Cifar10.TRAIN_FILES.get(k)), batch(2, k));
        }
        Files.write(tmp.resolve(Cifar10.TEST_FILE), batch(3, 9));
        assertEquals(10, Cifar10.train(tmp).count());
        assertEquals(3, Cifar10.test(tmp).count());
        assertEquals(Cifar10.test(tmp), DatasetSpec.CIFAR10.test(tmp));
        assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
                Cifar10.CLASS_NAMES);
    }

    @Test
    void aTruncatedBatchIsRejectedNamingTheFile() throws IOException {
        byte[] bytes = batch(2, 1);
        Path f = Files.write(tmp.resolve("data_batch_1.bin"), Arrays.copyOf(bytes, bytes.length - 5));
        DataException e = assertThrows(DataException.class, () -> Cifar10.read(List.of(f)));
        assertEquals(f + ": 6141 bytes is not a whole number of 3073-byte CIFAR-10 records (label + 3x32x32 pixels);"
                + " the file is truncated or not a CIFAR-10 binary batch", e.getMessage());
    }

    @Test
    void aLabelOfTenOrMoreIsRejectedNamingTheFileAndRecord() throws IOException {
        byte[] bytes = batch(3, 1);
        bytes[2 * 3073] = 10;
        Path f = Files.write(tmp.resolve("test_batch.bin"), bytes);
        DataException e = assertThrows(DataException.class, () -> Cifar10.read(List.of(f)));
        assertTrue(e.getMessage().startsWith(f + ": record 2 has label 10, but CIFAR-10 labels are 0..9"), e.getMessage());
    }

    @Test
    void aMissingBatchIsNamedWithWhatToPutThere() {
        DataException e = assertThrows(DataException.class, () -> Cifar10.test(tmp));
        assertTrue(e.getMessage().startsWith(tmp.resolve("test_batch.bin") + ": no such CIFAR-10 batch file"), e.getMessage());
    }
}
