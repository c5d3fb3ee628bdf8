package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheDirTest {
    private static final Path HOME = Path.of("/home/u");

    @Test
    void defaultIsUnderTheHomeCache() {
        assertEquals(Path.of("/home/u/.cache/tinynn/mnist"), CacheDir.resolve("mnist", null, Map.of(), HOME));
    }

    @Test
    void environmentVariableReplacesTheRoot() {
        assertEquals(Path.of("/srv/data/mnist"),
                CacheDir.resolve("mnist", null, Map.of("TINYNN_DATA", "/srv/data/"), HOME));
    }

    @Test
    void blankEnvironmentVariableIsIgnored() {
        assertEquals(Path.of("/home/u/.cache/tinynn/mnist"),
                CacheDir.resolve("mnist", null, Map.of("TINYNN_DATA", "  "), HOME));
    }

    @Test
    void explicitDirectoryWinsAndIsUsedAsIs() {
        assertEquals(Path.of("/tmp/here"),
                CacheDir.resolve("mnist", Path.of("/tmp/x/../here"), Map.of("TINYNN_DATA", "/srv/data"), HOME));
    }
}
