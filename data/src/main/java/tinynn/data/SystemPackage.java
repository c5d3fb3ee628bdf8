package tinynn.data;

/**
 * A data set installed by an operating-system package, e.g. Debian's {@code dataset-fashion-mnist},
 * which puts {@code <file name>.gz} under a fixed directory. A local, verified copy needs no
 * network at all, so the fetcher tries it before any mirror.
 *
 * @param name the package name, for messages and the install hint
 * @param directory where the package puts the files: an absolute path, taken from the package's
 *     file list ({@code dpkg -c}), not guessed
 */
public record SystemPackage(String name, String directory) {

    public SystemPackage {
        if (!name.matches("[a-z0-9][a-z0-9.+-]*")) {
            throw new IllegalArgumentException("not a package name: " + name);
        }
        if (!directory.startsWith("/")) {
            throw new IllegalArgumentException("the package directory must be absolute: " + directory);
        }
    }

    /** How messages name this source, e.g. {@code Debian package dataset-fashion-mnist in /usr/share/...}. */
    public String label() {
        return "Debian package " + name + " in " + directory;
    }
}
