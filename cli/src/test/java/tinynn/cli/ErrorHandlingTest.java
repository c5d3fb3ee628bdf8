package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit status 2 for usage errors, 1 for failures, one line on stderr naming the culprit, traces only with --debug. */
class ErrorHandlingTest {
    @TempDir static Path dir;
    static Fixtures fx;

    @BeforeAll static void fixtures() throws IOException {
        fx = Fixtures.write(dir, 200, 50);
    }

    static void oneLine(Cli.Result r, int code, String prefix, String contains) {
        assertEquals(code, r.code(), r::toString);
        assertEquals(1, r.errLines(), () -> "one line expected: " + r);
        assertTrue(r.err().startsWith(prefix), r::toString);
        assertTrue(r.err().contains(contains), r::toString);
        assertEquals("", r.out(), r::toString);
    }

    @Test void unknownOptionIsAUsageError() {
        oneLine(Cli.run("train", "--frobnicate"), 2, "tinynn train: ", "Unknown option: '--frobnicate'");
    }

    @Test void badOptionValueNamesTheOption() {
        oneLine(Cli.run("train", "--epochs", "many"), 2, "tinynn train: ", "--epochs");
        oneLine(Cli.run("train", "--data", "mnist", "--epochs", "0"), 2, "tinynn train: ", "--epochs must be at least 1");
        oneLine(Cli.run("predict", "m.tnn", "x.png", "--invert", "sometimes"), 2, "tinynn predict: ", "--invert");
    }

    @Test void missingCommandAndUnknownCommand() {
        oneLine(Cli.run(), 2, "tinynn: ", "missing command");
        oneLine(Cli.run("fly"), 2, "tinynn: ", "Unmatched argument");
    }

    @Test void inconsistentDataOptions() {
        oneLine(Cli.run("train", "--train-images", fx.trainImages.toString()), 2, "tinynn train: ", "--train-images and --train-labels go together");
        oneLine(Cli.run("train"), 2, "tinynn train: ", "no training data");
        oneLine(Cli.run("train", "--data", "cifar"), 2, "tinynn train: ", "unknown data set 'cifar'");
        oneLine(Cli.run("data", "cifar"), 2, "tinynn data: ", "unknown data set 'cifar'");
        oneLine(Cli.run("train", "--data", "mnist", "--backend", "cuda"), 2, "tinynn train: ", "--backend: unknown backend 'cuda'");
    }

    @Test void missingDataFileIsAFailureNamingTheFile() {
        Path nope = dir.resolve("nope-images");
        oneLine(Cli.run("train", "--train-images", nope.toString(), "--train-labels", fx.trainLabels.toString(), "--out", dir.resolve("x.tnn").toString()),
                1, "tinynn train: ", nope + ": no such file");
    }

    @Test void swappedIdxFilesAreExplained() {
        oneLine(Cli.run("train", "--train-images", fx.trainLabels.toString(), "--train-labels", fx.trainImages.toString(), "--out", dir.resolve("x.tnn").toString()),
                1, "tinynn train: ", "did you swap the images and labels files?");
    }

    @Test void missingModelFile() {
        Path m = dir.resolve("missing.tnn");
        oneLine(Cli.run("predict", m.toString(), fx.png.toString()), 1, "tinynn predict: ", m + ": no such file");
        oneLine(Cli.run("inspect", m.toString()), 1, "tinynn inspect: ", m + ": no such file");
        oneLine(Cli.run("eval", m.toString(), "--csv", fx.testCsv.toString()), 1, "tinynn eval: ", m + ": no such file");
    }

    @Test void garbageModelFile() throws IOException {
        Path g = dir.resolve("garbage.tnn");
        byte[] b = new byte[4096];
        new Random(1).nextBytes(b);
        Files.write(g, b);
        oneLine(Cli.run("inspect", g.toString()), 1, "tinynn inspect: ", g.toString());
        oneLine(Cli.run("predict", g.toString(), fx.png.toString()), 1, "tinynn predict: ", g.toString());
    }

    @Test void debugAddsTheStackTrace() throws IOException {
        Path g = dir.resolve("garbage2.tnn");
        Files.writeString(g, "not a model");
        Cli.Result r = Cli.run("inspect", "--debug", g.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.errLines() > 3 && r.err().contains("\tat "), r::toString);
        Cli.Result top = Cli.run("--debug", "inspect", g.toString());
        assertTrue(top.errLines() > 3 && top.err().contains("\tat "), top::toString);
    }

    @Test void badInputsToPredict() throws IOException {
        Path model = dir.resolve("m.tnn");
        assertEquals(0, Cli.run("train", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(),
                "--hidden", "8", "--epochs", "1", "--progress", "none", "--out", model.toString()).code());
        Path corrupt = dir.resolve("corrupt.png");
        byte[] png = Files.readAllBytes(fx.png);
        png[png.length / 2] ^= 0x55;
        Files.write(corrupt, png);
        oneLine(Cli.run("predict", model.toString(), corrupt.toString()), 1, "tinynn predict: ", corrupt + ": corrupt PNG");
        Path csv = dir.resolve("short.csv");
        Files.writeString(csv, "1,2,3\n");
        oneLine(Cli.run("predict", model.toString(), csv.toString()), 1, "tinynn predict: ", csv + ":1: row has 3 values");
        oneLine(Cli.run("predict", model.toString(), dir.resolve("none.png").toString()), 1, "tinynn predict: ", "none.png: no such file");
        oneLine(Cli.run("predict", model.toString()), 2, "tinynn predict: ", "Missing required parameter");
    }

    @Test void errorsThrownByTheRuntimeAreReportedOnOneLineToo() {
        Cli.Result r = Cli.train(cp -> CommandFlowTest.afterStep(step -> { throw new InternalError("not supported: EXP (simulated)"); }),
                "train", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(),
                "--hidden", "8", "--progress", "none", "--out", dir.resolve("err.tnn").toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.errLines(), r::toString);
        assertTrue(r.err().startsWith("tinynn train: internal error: java.lang.InternalError: not supported: EXP (simulated) (rerun with --debug"), r::toString);
    }

    @Test void outputDirectoryMustExist() {
        Path out = dir.resolve("no/such/dir/m.tnn");
        oneLine(Cli.run("train", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(), "--out", out.toString()),
                1, "tinynn train: ", "does not exist");
    }

    @Test void helpHasExamplesForEveryCommand() {
        for (String c : new String[] {"train", "eval", "predict", "inspect", "data", "version", "bench"}) {
            Cli.Result r = Cli.run(c, "--help");
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().contains("Examples:") && r.out().contains("  tinynn " + c), r::toString);
        }
        assertTrue(Cli.run("--help").out().contains("Examples:"));
    }

    @Test void versionNamesRuntimeAndBackend() {
        Cli.Result r = Cli.run("version");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().matches("(?s)tinynn \\d+\\.\\d+\\.\\d+.*\\nruntime: JVM .*\\nbackend: .*"), r::toString);
    }

    @Test void typosGetTheNearestOptionOrCommand() {
        oneLine(Cli.run("train", "--epoch", "3"), 2, "tinynn train: ", "Unknown options: '--epoch', '3'; did you mean '--epochs'? (see 'tinynn train --help')");
        oneLine(Cli.run("train", "--bach-size=3"), 2, "tinynn train: ", "did you mean '--batch-size'?");
        oneLine(Cli.run("--verison"), 2, "tinynn: ", "did you mean '--version'?");
        oneLine(Cli.run("trian", "--data", "mnist"), 2, "tinynn: ", "'trian', '--data', 'mnist'; did you mean 'train'?");
        oneLine(Cli.run("inpsect"), 2, "tinynn: ", "did you mean 'inspect'?");
        assertFalse(Cli.run("train", "--frobnicate").err().contains("did you mean"));
    }

    @Test void moreThreadsThanCoresGetAWarning() {
        int cores = Runtime.getRuntime().availableProcessors();
        Cli.Result r = Cli.run("version", "--threads", Integer.toString(cores + 1));
        assertEquals(0, r.code(), r::toString);
        assertEquals(1, r.errLines(), r::toString);
        assertTrue(r.err().startsWith("tinynn version: warning: --threads " + (cores + 1) + " is more than the " + cores + " cores available"), r::toString);
        assertEquals("", Cli.run("version", "--threads", Integer.toString(cores)).err());
    }

    /** Every example line fits the help width (picocli would wrap it) and a command that goes on ends with a backslash. */
    @Test void helpExamplesCanBePasted() {
        for (String c : new String[] {"", "train", "eval", "predict", "inspect", "data", "version", "bench"}) {
            Cli.Result r = c.isEmpty() ? Cli.run("--help") : Cli.run(c, "--help");
            List<String> lines = r.out().lines().toList();
            int i = lines.indexOf("Examples:");
            assertTrue(i >= 0, r::toString);
            boolean continued = false;
            for (String line : lines.subList(i + 1, lines.size())) {
                if (line.isBlank() && !continued) break;
                assertTrue(line.length() <= 80, () -> c + ": too wide: " + line);
                assertTrue(continued ? line.startsWith("    ") : line.startsWith("  tinynn "), () -> c + ": not a command or its continuation: '" + line + "'\n" + r.out());
                continued = line.endsWith("\\");
            }
        }
    }

    @Test void anUnwritableOutIsReportedBeforeTraining() throws IOException {
        // A directory no file can be created in, even by root.
        Path out = Path.of("/proc/m.tnn");
        oneLine(Cli.run("train", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(), "--out", out.toString()),
                1, "tinynn train: ", out + ": cannot create files in /proc");
        oneLine(Cli.run("train", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(),
                "--out", dir.resolve("w-ok.tnn").toString(), "--weights-out", "/proc/w.tnn"), 1, "tinynn train: ", "choose another --weights-out");
        Path readOnly = dir.resolve("read-only.tnn");
        Files.writeString(readOnly, "a model kept read-only");
        assertTrue(readOnly.toFile().setWritable(false, false));
        if (!Files.isWritable(readOnly)) { // root may write anyway
            oneLine(Cli.run("train", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(), "--out", readOnly.toString()),
                    1, "tinynn train: ", readOnly + ": the file is read-only");
        }
    }
}
