package tinynn.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a data set lives on disk. Highest priority first: an explicit directory (used as is),
 * {@code $TINYNN_DATA/<name>}, {@code ~/.cache/tinynn/<name>}.
 *
 * <p>A pure function of its inputs so that tests never depend on the real home directory or
 * environment.
 */
public final class CacheDir {
    public static final String ENV_VAR = "TINYNN_DATA";

    private CacheDir() {}

    /**
     * @param explicit a directory the user named, or {@code null}
     * @param env the process environment ({@code System.getenv()} in production)
     * @param home the user's home directory
     */
    public static Path resolve(String name, Path explicit, Map<String, String> env, Path home) {
        if (explicit != null) {
            return explicit.toAbsolutePath().normalize();
        }
        String root = env.get(ENV_VAR);
        if (root != null && !root.isBlank()) {
            return Path.of(root).resolve(name).toAbsolutePath().normalize();
        }
        return home.resolve(".cache").resolve("tinynn").resolve(name).toAbsolutePath().normalize();
    }
}
