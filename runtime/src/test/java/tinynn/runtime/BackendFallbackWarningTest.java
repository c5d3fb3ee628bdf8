package tinynn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Without --add-modules jdk.incubator.vector tinynn falls back to ojalgo; it must say so once, on stderr. */
class BackendFallbackWarningTest {

    @Test
    void theWarningNamesTheFlagWhenTheModuleIsMissing() {
        String w = Backends.fallbackWarning(false,
                "module jdk.incubator.vector not resolved (start the JVM with --add-modules=jdk.incubator.vector)");
        assertTrue(w.contains("--add-modules jdk.incubator.vector") && w.contains("ojalgo") && w.contains("15x slower"), w);
        assertEquals(1, w.lines().count(), w);
    }

    @Test
    void otherCausesAreNamedInstead() {
        String w = Backends.fallbackWarning(false, "preferred vector shape too small");
        assertTrue(w.contains("preferred vector shape too small") && !w.contains("--add-modules"), w);
    }

    @Test
    void noWarningWhenTheVectorApiWorks() {
        assertNull(Backends.fallbackWarning(true, null));
    }

    @Test
    void aJvmWithoutTheModuleWarnsExactlyOnce() throws Exception {
        Result r = run(List.of());
        assertEquals(0, r.exit, r.stderr);
        assertTrue(r.stdout.contains("backend ojalgo"), r.stdout);
        List<String> warnings = r.stderr.lines().filter(l -> l.startsWith("tinynn: WARNING: the simd backend is unavailable")).toList();
        assertEquals(1, warnings.size(), r.stderr);
        assertTrue(warnings.get(0).contains("--add-modules jdk.incubator.vector"), warnings.get(0));
    }

    @Test
    void aJvmWithTheModuleStaysQuiet() throws Exception {
        Result r = run(List.of("--add-modules=jdk.incubator.vector"));
        assertEquals(0, r.exit, r.stderr);
        assertTrue(r.stdout.contains("backend simd"), r.stdout);
        assertTrue(r.stderr.lines().noneMatch(l -> l.startsWith("tinynn:")), r.stderr);
    }

    private record Result(int exit, String stdout, String stderr) {}

    /** Runs {@link FallbackProbe} in a fresh JVM with this test's class path and the given JVM options. */
    private static Result run(List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FallbackProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        var err = p.getErrorStream();
        var errText = new StringBuilder();
        Thread drain = Thread.ofPlatform().start(() -> {
            try {
                errText.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                errText.append(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        drain.join();
        return new Result(exit, out, errText.toString());
    }
}
