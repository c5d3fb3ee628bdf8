package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CIFAR-10's archive path through the fetcher, on generated archives in the exact layout of
 * cifar-10-binary.tar.gz (cifar-10-batches-bin/ holding the six .bin batches and batches.meta.txt), served by a
 * local HttpServer or put in the directory by hand. The real spec is used with its files shrunk to the fixture's
 * sizes and its archive pointed at the fixture's URL and MD5.
 */
class Cifar10FetchTest {
    private static final int RECORDS = 3;
    private static final Map<String, byte[]> BATCHES = new LinkedHashMap<>();

    static {
        int seed = 0;
        for (String name : Cifar10.TRAIN_FILES) {
            BATCHES.put(name, Cifar10Test.batch(RECORDS, seed++));
        }
        BATCHES.put(Cifar10.TEST_FILE, Cifar10Test.batch(RECORDS, seed));
    }

    @TempDir
    Path tmp;

    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    private final List<HttpServer> servers = new ArrayList<>();
    private final Downloader http = new HttpDownloader(Duration.ofSeconds(2), Duration.ofSeconds(10));
    private static final Downloader NO_NETWORK = (uri, max) -> {
        throw new AssertionError("network used: " + uri);
    };

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    /** The archive as the authors pack it: the batches under cifar-10-batches-bin/, plus the class names file. */
    static byte[] archive(Map<String, byte[]> batches) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/batches.meta.txt",
                (String.join("\n", Cifar10.CLASS_NAMES) + "\n\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        batches.forEach((name, bytes) -> entries.put("cifar-10-batches-bin/" + name, bytes));
        return Fixtures.tgz(entries);
    }

    /** DatasetSpec.CIFAR10 with the fixture's sizes and the given archive's MD5, served at {@code url}. */
    private static DatasetSpec spec(byte[] archive, URI url) {
        Checksum md5 = Checksum.md5OfArchive(Checksum.hexDigest("MD5", archive));
        DatasetSpec real = DatasetSpec.CIFAR10;
        return real.withFiles(real.files().stream()
                        .map(f -> new FileSpec(f.name(), (long) RECORDS * Cifar10.RECORD_BYTES, md5)).toList())
                .withArchive(new DatasetArchive(real.archive().fileName(), url, real.archive().pathPrefix(), 1 << 20, md5));
    }

    private URI serve(byte[] archive, List<String> requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            boolean ok = path.equals("/~kriz/cifar-10-binary.tar.gz");
            exchange.sendResponseHeaders(ok ? 200 : 404, ok ? archive.length : -1);
            try (OutputStream out = exchange.getResponseBody()) {
                if (ok) {
                    out.write(archive);
                }
            }
        });
        server.start();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/~kriz/cifar-10-binary.tar.gz");
    }

    private DatasetFetcher fetcher(Downloader downloader) {
        return new DatasetFetcher(downloader, List.of("/no/such/npm"), Map.of(), tmp.resolve("home"), tmp.resolve("no-root"),
                progress::add);
    }

    private static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/~kriz/cifar-10-binary.tar.gz");
        }
    }

    @Test
    void downloadsTheArchiveChecksItsMd5AndStoresTheSixBatchesReadableAsRgbImages() throws IOException {
        byte[] archive = archive(BATCHES);
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        URI url = serve(archive, requests);
        DatasetSpec spec = spec(archive, url);

        Path dir = fetcher(http).fetch(spec, tmp.resolve("cifar"));

        assertEquals(List.of("/~kriz/cifar-10-binary.tar.gz"), requests, "one download for all six files");
        for (var e : BATCHES.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())), e.getKey());
            assertTrue(Files.isRegularFile(dir.resolve(e.getKey() + ".sha256")), e.getKey());
        }
        assertTrue(progress.contains("cifar10: stored test_batch.bin (" + RECORDS * Cifar10.RECORD_BYTES
                + " bytes, MD5 of the archive verified) from " + url), progress.toString());
        ImageDataset train = spec.train(dir), test = spec.test(dir);
        assertEquals(5 * RECORDS, train.count());
        assertEquals(RECORDS, test.count());
        assertEquals(3, train.channels());

        progress.clear();
        fetcher(NO_NETWORK).fetch(spec, dir);
        assertEquals(List.of("cifar10: all 6 files present and verified in " + dir), progress,
                "the recorded SHA-256s re-verify the cache without the archive");
    }

    @Test
    void anArchivePutInTheDirectoryByHandIsCheckedAndUsedWithoutTheNetwork() throws IOException {
        byte[] archive = archive(BATCHES);
        Path dir = Files.createDirectories(tmp.resolve("cifar"));
        Files.write(dir.resolve("cifar-10-binary.tar.gz"), archive);

        fetcher(NO_NETWORK).fetch(spec(archive, URI.create("http://127.0.0.1:9/never")), dir);

        for (var e : BATCHES.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())), e.getKey());
        }
    }

    @Test
    void aCorruptArchiveIsRejectedBeforeExtractionAndTheMessageSaysHowToPlaceItByHand() throws IOException {
        byte[] archive = archive(BATCHES);
        byte[] corrupt = archive.clone();
        corrupt[corrupt.length / 2] ^= 1;
        URI url = serve(corrupt, new ArrayList<>());
        Path dir = tmp.resolve("cifar");

        DataException e = assertThrows(DataException.class, () -> fetcher(http).fetch(spec(archive, url), dir));

        String message = e.getMessage();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("could not fetch cifar10: 6 of 6 files still missing in " + dir.toAbsolutePath()
                + "; tried " + url + " (MD5 of the archive mismatch: expected " + Checksum.hexDigest("MD5", archive)
                + " but got " + Checksum.hexDigest("MD5", corrupt)), message);
        assertTrue(message.contains("download " + url + " yourself, put cifar-10-binary.tar.gz into that directory"
                + " and run again (it is checked against its MD5); examples also take --data-dir DIR holding the"
                + " extracted data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin,"
                + " data_batch_5.bin, test_batch.bin as they are"), message);
        try (Stream<Path> listing = Files.list(dir)) {
            assertEquals(0, listing.count(), "nothing unverified may be left behind");
        }
    }

    @Test
    void withoutNetworkTheMessageNamesTheUrl() throws IOException {
        URI url = closedPort();
        DataException e = assertThrows(DataException.class,
                () -> fetcher(http).fetch(spec(archive(BATCHES), url), tmp.resolve("cifar")));
        assertTrue(e.getMessage().contains("tried " + url + " (ConnectException"), e.getMessage());
        assertTrue(e.getMessage().contains("download " + url + " yourself"), e.getMessage());
    }

    @Test
    void aShortBatchInAnArchiveWithTheRightMd5IsRejectedByNameAndTheOthersAreKept() throws IOException {
        Map<String, byte[]> batches = new LinkedHashMap<>(BATCHES);
        byte[] full = BATCHES.get("data_batch_3.bin");
        batches.put("data_batch_3.bin", java.util.Arrays.copyOf(full, full.length - 1));
        byte[] archive = archive(batches);
        Path dir = Files.createDirectories(tmp.resolve("cifar"));
        Files.write(dir.resolve("cifar-10-binary.tar.gz"), archive);

        DataException e = assertThrows(DataException.class,
                () -> fetcher(NO_NETWORK).fetch(spec(archive, URI.create("http://127.0.0.1:9/never")), dir));

        assertTrue(e.getMessage().contains("1 of 6 files still missing"), e.getMessage());
        assertTrue(e.getMessage().contains("cifar-10-batches-bin/data_batch_3.bin: wrong size: "
                + (full.length - 1) + " bytes uncompressed, expected " + full.length), e.getMessage());
        assertFalse(Files.exists(dir.resolve("data_batch_3.bin")));
        assertArrayEquals(BATCHES.get("data_batch_4.bin"), Files.readAllBytes(dir.resolve("data_batch_4.bin")));
    }

    @Test
    void theRealSpecPinsThePublishedMd5AndTheExactBatchSizes() {
        DatasetSpec spec = DatasetSpec.named("cifar10");
        assertEquals(List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin"), spec.files().stream().map(FileSpec::name).toList());
        assertTrue(spec.files().stream().allMatch(f -> f.size() == 30_730_000L
                && f.checksums().equals(List.of(Checksum.md5OfArchive("c32a1d4ab5d03f1284b67883e8d87530")))));
        assertEquals(URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), spec.archive().url());
        assertEquals("cifar-10-batches-bin/", spec.archive().pathPrefix());
        assertEquals(SplitFormat.CIFAR10, spec.format());
        assertTrue(spec.archive().maxBytes() >= 170_052_171, "room for the archive as reported");
    }
}
