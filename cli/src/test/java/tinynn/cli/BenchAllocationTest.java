package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --steps N --max-alloc-bytes B}: the allocation check smoke.sh runs on the native binary. */
class BenchAllocationTest {

    @TempDir static Path dir;
    static Fixtures fx;

    @BeforeAll static void data() throws Exception {
        fx = Fixtures.write(dir, 300, 20);
    }

    private static Cli.Result bench(String... more) {
        String[] base = {"bench", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(), "--backends", "simd"};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return Cli.run(args);
    }

    /** The row of one backend and thread count: bytes, caller, other threads, bytes per step. */
    private static long[] row(Cli.Result r, int threads) {
        Matcher m = Pattern.compile("(?m)^simd\\s+" + threads + "\\s+([0-9,]+)\\s+([0-9,]+)\\s+([0-9,]+)\\s+[0-9,.]+$").matcher(r.out());
        assertTrue(m.find(), r::toString);
        return new long[] {num(m.group(1)), num(m.group(2)), num(m.group(3))};
    }

    private static long num(String s) { return Long.parseLong(s.replace(",", "")); }

    @Test void compilingThePlanInsideTheWindowExceedsTheBound() {
        // No warm-up: the first step builds the training plan and its buffers (megabytes), so a bound of 1,000 bytes must fail.
        Cli.Result r = bench("--steps", "2", "--warmup-steps", "0", "--max-alloc-bytes", "1000", "--threads", "1");
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.errLines(), r::toString);
        assertTrue(r.err().matches("tinynn bench: 2 training steps of mlp allocated more than --max-alloc-bytes 1,000: simd at 1 thread [0-9,]+ bytes\\R"),
                r::toString);
        long[] bytes = row(r, 1);
        assertTrue(bytes[0] > 1_000_000, r::toString);
        assertEquals(bytes[0], bytes[1] + bytes[2], r::toString);
        assertTrue(r.out().contains("net: mlp, allocation check: 0 warm-up steps, then 1 window of 2 training steps (batch 128)"), r::toString);
    }

    @Test void withinTheBoundItPassesAndSaysSo() {
        Cli.Result r = bench("--arch", "lstm", "--steps", "2", "--warmup-steps", "1", "--max-alloc-bytes", "1000000000000", "--threads", "2");
        assertEquals(0, r.code(), r::toString);
        long[] bytes = row(r, 2);
        assertEquals(bytes[0], bytes[1] + bytes[2], r::toString);
        assertTrue(r.out().contains("allocation within --max-alloc-bytes 1,000,000,000,000"), r::toString);
        assertEquals(0, r.errLines(), r::toString);
    }

    @Test void withoutABoundItOnlyReports() {
        Cli.Result r = bench("--arch", "lenet5", "--steps", "1", "--warmup-steps", "1", "--threads", "1");
        assertEquals(0, r.code(), r::toString);
        row(r, 1);
        assertTrue(!r.out().contains("--max-alloc-bytes"), r::toString);
    }

    @Test void itsOptionsGoTogether() {
        Cli.Result r = Cli.run("bench", "--max-alloc-bytes", "10");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("tinynn bench: --max-alloc-bytes goes with --steps N (the allocation check)"), r::toString);
        r = Cli.run("bench", "--steps", "0");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("tinynn bench: --steps must be at least 1, got 0"), r::toString);
        r = Cli.run("bench", "--steps", "3", "--arch", "charlstm");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("tinynn bench: --steps checks the image nets (mlp, lenet5, lstm), not charlstm"), r::toString);
        r = Cli.run("bench", "--steps", "3", "--train-images", fx.trainImages.toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("tinynn bench: --train-images and --train-labels go together"), r::toString);
    }

    @Test void tooFewImagesForABatchIsOneLine() {
        Fixtures small;
        try {
            small = Fixtures.write(java.nio.file.Files.createDirectories(dir.resolve("small")), 100, 10);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Cli.Result r = Cli.run("bench", "--train-images", small.trainImages.toString(), "--train-labels", small.trainLabels.toString(),
                "--backends", "simd", "--threads", "1", "--steps", "1");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("tinynn bench: --steps needs at least one full batch of 128 training images, got 100"), r::toString);
    }
}
