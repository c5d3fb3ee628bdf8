package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/tinynn and its AOT cache: the JVM ignores a cache once a class path jar was rebuilt after it (as CI's
 * second, -Dtinynn.aot.skip=true build does), so the launcher must notice that and say so in one line.
 * Runs the real script in a copy of the repository layout, with a stand-in "java" that prints its arguments.
 */
class LauncherAotCacheTest {

    @TempDir Path root;
    private Path jar, lib, aot, java;
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void layout() throws IOException {
        Path script = root.resolve("bin/tinynn");
        Files.createDirectories(script.getParent());
        Files.copy(Path.of(System.getProperty("user.dir")).resolveSibling("bin").resolve("tinynn"), script);
        Path target = Files.createDirectories(root.resolve("cli/target/lib"));
        jar = Files.writeString(target.resolveSibling("tinynn-cli.jar"), "jar");
        lib = Files.writeString(target.resolve("tinynn-runtime-0.1.0-SNAPSHOT.jar"), "lib");
        aot = Files.writeString(target.resolveSibling("tinynn.aot"), "aot");
        java = Files.writeString(Files.createDirectories(root.resolve("fake-jdk/bin")).resolve("java"), "#!/bin/sh\necho \"java $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        // As a build leaves them: jar, then lib, then the cache.
        touch(jar, 0);
        touch(lib, 1);
        touch(aot, 10);
    }

    @Test
    void aFreshCacheIsUsedQuietly() throws Exception {
        Run r = launch(Map.of());
        assertTrue(r.stdout.contains("-XX:AOTCache=" + aot), r.stdout);
        assertEquals(List.of(), notes(r), r.stderr);
    }

    @Test
    void aJarRebuiltAfterTheCacheIsReportedInOneLine() throws Exception {
        touch(jar, 20);
        Run r = launch(Map.of());
        assertFalse(r.stdout.contains("-XX:AOTCache"), r.stdout);
        List<String> notes = notes(r);
        assertEquals(1, notes.size(), r.stderr);
        assertTrue(notes.get(0).contains(jar.toString()) && notes.get(0).contains("mvn -DskipTests package -pl cli -am"), notes.get(0));
    }

    @Test
    void aLibraryJarRebuiltAfterTheCacheCountsToo() throws Exception {
        touch(lib, 20);
        Run r = launch(Map.of());
        assertFalse(r.stdout.contains("-XX:AOTCache"), r.stdout);
        assertEquals(1, notes(r).size(), r.stderr);
        assertTrue(notes(r).get(0).contains(lib.toString()), r.stderr);
    }

    @Test
    void tinynnAotZeroTurnsTheCacheAndTheNoteOff() throws Exception {
        touch(jar, 20);
        Run r = launch(Map.of("TINYNN_AOT", "0"));
        assertFalse(r.stdout.contains("-XX:AOTCache"), r.stdout);
        assertEquals(List.of(), notes(r), r.stderr);
    }

    @Test
    void noCacheAtAllIsNotReported() throws Exception {
        Files.delete(aot);
        Run r = launch(Map.of());
        assertFalse(r.stdout.contains("-XX:AOTCache"), r.stdout);
        assertEquals(List.of(), notes(r), r.stderr);
    }

    private record Run(int exit, String stdout, String stderr) {}

    private static List<String> notes(Run r) {
        return r.stderr.lines().filter(l -> l.startsWith("tinynn:")).toList();
    }

    private Run launch(Map<String, String> env) throws IOException, InterruptedException {
        Path out = root.resolve("out.txt"), err = root.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("bin/tinynn").toString(), "version")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("TINYNN_JAVA", java.toString());
        pb.environment().remove("TINYNN_AOT");
        pb.environment().putAll(env);
        // The note is echoed before the launcher execs java, so it is in the file once the process has exited.
        int exit = pb.start().waitFor();
        Run r = new Run(exit, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        assertEquals(0, r.exit, r.stderr);
        return r;
    }

    private void touch(Path file, int seconds) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(t0.plusSeconds(seconds)));
    }
}
