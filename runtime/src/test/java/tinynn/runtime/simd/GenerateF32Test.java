package tinynn.runtime.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of the float32 generator (runtime/src/build/GenerateF32.java), on a small source of its own. */
class GenerateF32Test {

    private static final Path GENERATOR = Path.of("src/build/GenerateF32.java");

    private static Process run(Path in, Path out) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                GENERATOR.toString(), in.toString(), out.toString(), "KernF64.java"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.waitFor();
        return p;
    }

    @Test
    void appliesEachRule(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("KernF64.java"), """
                /**
                 * Sums.
                 * <p>The float32 twin is generated from this file by {@code runtime/src/build/GenerateF32.java}.
                 */
                final class KernF64 {
                    static final double TINY = 1e-290 /*F32: 1e-30f*/;
                    static /*wide*/double sum(double[] x, DoubleVector v) {
                        /*wide*/double s = (double) x[0] + Double.MIN_VALUE;
                        return s; // f64
                    }
                }
                """);
        Process p = run(dir, dir.resolve("out"));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        assertEquals("""
                // GENERATED from KernF64.java by runtime/src/build/GenerateF32.java at build time. Do not edit: edit KernF64.java.
                /**
                 * Sums.
                 * <p>Generated from {@code KernF64.java} by {@code runtime/src/build/GenerateF32.java}; edit that file, not this one.
                 */
                final class KernF32 {
                    static final float TINY = 1e-30f;
                    static double sum(float[] x, FloatVector v) {
                        double s = (float) x[0] + Float.MIN_VALUE;
                        return s; // f32
                    }
                }
                """, Files.readString(dir.resolve("out/KernF32.java")));
    }

    @Test
    void rejectsAMarkerItDoesNotKnowAndASourceThatDoesNotNameIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("KernF64.java"), """
                /** runtime/src/build/GenerateF32.java */
                /*wide*/ double s;
                """);
        Process p = run(dir, dir.resolve("out"));
        assertNotEquals(0, p.exitValue());
        assertTrue(new String(p.getInputStream().readAllBytes()).contains("KernF64.java:2: unknown generator marker"));

        Files.writeString(dir.resolve("KernF64.java"), "final class KernF64 {}\n");
        p = run(dir, dir.resolve("out"));
        assertNotEquals(0, p.exitValue());
        assertTrue(new String(p.getInputStream().readAllBytes()).contains("no line names"));
    }
}
