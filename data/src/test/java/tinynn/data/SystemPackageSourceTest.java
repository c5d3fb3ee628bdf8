package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package source, against a fake installation: {@code <root>/usr/share/datasets/fashion-mnist}
 * laid out as {@code dpkg -c dataset-fashion-mnist} lists it, holding generated fixture files.
 */
class SystemPackageSourceTest {
    private static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    static {
        FILES.put(DatasetSpec.TRAIN_IMAGES, Fixtures.ubyte(new int[] {2, 2, 2}, Fixtures.counting(8)));
        FILES.put(DatasetSpec.TRAIN_LABELS, Fixtures.ubyte(new int[] {2}, new byte[] {9, 0}));
        FILES.put(DatasetSpec.TEST_IMAGES, Fixtures.ubyte(new int[] {1, 2, 2}, new byte[] {1, 2, 3, 4}));
        FILES.put(DatasetSpec.TEST_LABELS, Fixtures.ubyte(new int[] {1}, new byte[] {5}));
    }

    @TempDir
    Path tmp;

    private final List<String> progress = new ArrayList<>();
    private final List<URI> requested = new ArrayList<>();

    /** Records each URL and fails as an unreachable host would: no test here may use the network. */
    private final Downloader offline = (uri, max) -> {
        requested.add(uri);
        throw new ConnectException("offline test");
    };

    /** The real Fashion-MNIST spec (package, mirrors, names) with digests of the fixture files. */
    private static DatasetSpec fashion() {
        return DatasetSpec.FASHION_MNIST.withFiles(FILES.entrySet().stream()
                .map(e -> new FileSpec(e.getKey(), e.getValue().length,
                        Checksum.sha256(Checksum.hexDigest("SHA-256", e.getValue()))))
                .toList());
    }

    private DatasetFetcher fetcher(Path root) {
        return new DatasetFetcher(offline, List.of("/no/such/npm"), Map.of(), tmp.resolve("home"), root, progress::add);
    }

    /** {@code <root>/usr/share/datasets/fashion-mnist}, created. */
    private Path packageDir(Path root) throws IOException {
        return Files.createDirectories(root.resolve("usr/share/datasets/fashion-mnist"));
    }

    @Test
    void installedPackageIsUsedWithoutTouchingTheNetwork() throws IOException {
        Path root = tmp.resolve("root");
        Path installed = packageDir(root);
        for (var e : FILES.entrySet()) {
            Files.write(installed.resolve(e.getKey() + ".gz"), Fixtures.gzip(e.getValue()));
        }
        Path dir = fetcher(root).fetch(fashion(), tmp.resolve("cache"));

        assertEquals(List.of(), requested);
        for (var e : FILES.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())), e.getKey());
        }
        assertTrue(progress.contains("fashion-mnist: stored t10k-labels-idx1-ubyte (9 bytes, SHA-256 verified) from "
                + installed.resolve("t10k-labels-idx1-ubyte.gz")), progress.toString());
        assertEquals(9, fashion().train(dir).label(0));
    }

    @Test
    void uncompressedFilesInThePackageDirectoryAreAcceptedToo() throws IOException {
        Path root = tmp.resolve("root");
        Path installed = packageDir(root);
        for (var e : FILES.entrySet()) {
            Files.write(installed.resolve(e.getKey()), e.getValue());
        }
        Path dir = fetcher(root).fetch(fashion(), tmp.resolve("cache"));
        assertEquals(List.of(), requested);
        assertArrayEquals(FILES.get(DatasetSpec.TEST_IMAGES), Files.readAllBytes(dir.resolve(DatasetSpec.TEST_IMAGES)));
    }

    @Test
    void tamperedOrMissingPackageFilesAreRejectedAndTheMirrorsTried() throws IOException {
        Path root = tmp.resolve("root");
        Path installed = packageDir(root);
        for (var e : FILES.entrySet()) {
            Files.write(installed.resolve(e.getKey() + ".gz"), Fixtures.gzip(e.getValue()));
        }
        byte[] other = Fixtures.ubyte(new int[] {2}, new byte[] {9, 1});
        Files.write(installed.resolve(DatasetSpec.TRAIN_LABELS + ".gz"), Fixtures.gzip(other));
        Files.delete(installed.resolve(DatasetSpec.TEST_LABELS + ".gz"));
        Path cache = tmp.resolve("cache");

        DataException e = assertThrows(DataException.class, () -> fetcher(root).fetch(fashion(), cache));

        String message = e.getMessage();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("could not fetch fashion-mnist: 2 of 4 files still missing in " + cache
                + "; tried Debian package dataset-fashion-mnist in /usr/share/datasets/fashion-mnist"
                + " (train-labels-idx1-ubyte.gz: SHA-256 mismatch: expected "
                + Checksum.hexDigest("SHA-256", FILES.get(DatasetSpec.TRAIN_LABELS)) + " but got "
                + Checksum.hexDigest("SHA-256", other) + " (corrupted, or a different version of the file);"
                + " t10k-labels-idx1-ubyte: not in that directory), "
                + "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/ (unreachable: ConnectException:"
                + " offline test), https://raw.githubusercontent.com/"), message);
        assertTrue(message.endsWith(", install dataset-fashion-mnist, or copy the files (train-labels-idx1-ubyte,"
                + " t10k-labels-idx1-ubyte), plain or .gz, into that directory yourself and run again"), message);
        assertEquals(2, requested.size(), "one request per unreachable mirror: " + requested);
        assertArrayEquals(FILES.get(DatasetSpec.TRAIN_IMAGES), Files.readAllBytes(cache.resolve(DatasetSpec.TRAIN_IMAGES)));
    }

    @Test
    void absentPackageIsReportedWithTheInstallCommand() {
        DataException e = assertThrows(DataException.class,
                () -> fetcher(tmp.resolve("empty-root")).fetch(fashion(), tmp.resolve("cache")));
        assertTrue(e.getMessage().contains("; tried Debian package dataset-fashion-mnist in"
                + " /usr/share/datasets/fashion-mnist (not installed; apt-get install dataset-fashion-mnist provides it),"
                + " http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/ (unreachable: ConnectException:"
                + " offline test), https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"
                + " (unreachable: ConnectException: offline test). Check"), e.getMessage());
    }

    /**
     * Confirms the pinned Fashion-MNIST digests against the real Debian package when it is
     * installed on this machine (skipped elsewhere). Reads only; the downloader fails if called.
     */
    @Test
    void realDebianPackageMatchesThePinsWhenInstalled() throws IOException {
        assumeTrue(Files.isDirectory(Path.of(DatasetSpec.FASHION_MNIST.systemPackage().directory())),
                "dataset-fashion-mnist is not installed here");
        Path dir = new DatasetFetcher((uri, max) -> {
            throw new AssertionError("network used: " + uri);
        }, List.of("/no/such/npm"), Map.of(), tmp.resolve("home"), progress::add)
                .fetch(DatasetSpec.FASHION_MNIST, tmp.resolve("real"));
        ImageDataset train = DatasetSpec.FASHION_MNIST.train(dir);
        int[] counts = new int[10];
        for (int i = 0; i < train.count(); i++) {
            counts[train.label(i)]++;
        }
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, counts);
        assertEquals(10_000, DatasetSpec.FASHION_MNIST.test(dir).count());
    }
}
