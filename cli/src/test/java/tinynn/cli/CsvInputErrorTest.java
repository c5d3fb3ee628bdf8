package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad CSV given to train or eval ends in exit 1 and one stderr line naming file, line and column. */
class CsvInputErrorTest {
    @TempDir Path dir;

    /** Four 2x2 images; {@code bad} replaces the third row. */
    private Path csv(String name, String bad) throws IOException {
        return Files.writeString(dir.resolve(name), "label,a,b,c,d\n0,0,10,20,30\n1,40,50,60,70\n" + bad
                + "\n1,1,2,3,4\n", StandardCharsets.UTF_8);
    }

    private Cli.Result train(Path trainCsv, String... more) {
        String[] args = {"train", "--train-csv", trainCsv.toString(), "--epochs", "1",
                "--out", dir.resolve("m.tnn").toString()};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return Cli.run(all);
    }

    private static void oneLine(Cli.Result r, String prefix) {
        assertEquals(Errors.FAILURE, r.code(), r::toString);
        assertEquals(1, r.errLines(), () -> "one line expected: " + r);
        assertTrue(r.err().startsWith(prefix), r::toString);
        assertTrue(!r.err().contains("internal error") && !r.err().contains("Exception"), r::toString);
    }

    @Test void negativeLabel() throws IOException {
        Path f = csv("neg.csv", "-1,0,0,0,0");
        oneLine(train(f), "tinynn train: " + f + ":4: column 1: label -1 is negative; labels are class indices");
    }

    @Test void invalidUtf8() throws IOException {
        Path f = dir.resolve("latin1.csv");
        Files.write(f, "label,a,b,c,d\n0,0,10,20,30\n1,40,50,60,70 caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        oneLine(train(f), "tinynn train: " + f + ":3: byte 18 (0xe9) is not valid UTF-8 text; save the file as UTF-8");
    }

    @Test void labelBeyondTheClassesOption() throws IOException {
        Path f = csv("big.csv", "5,0,0,0,0");
        oneLine(train(f, "--classes", "3"), "tinynn train: " + f + ":4: column 1: label 5 is out of range for 3 classes");
    }

    @Test void labelBeyondTheTrainingClassesInTheTestCsv() throws IOException {
        Path tr = csv("tr.csv", "1,0,0,0,0");
        Path te = csv("te.csv", "7,0,0,0,0");
        oneLine(train(tr, "--test-csv", te.toString()), "tinynn train: " + te + ":4: column 1: label 7 is out of range"
                + " for 2 classes");
    }

    @Test void nonNumericCellNaNAndWrongColumnCount() throws IOException {
        Path text = csv("text.csv", "1,0,zero,0,0");
        oneLine(train(text), "tinynn train: " + text + ":4: column 3: 'zero' is not a number");
        Path nan = csv("nan.csv", "1,0,0,NaN,0");
        oneLine(train(nan), "tinynn train: " + nan + ":4: column 4: 'NaN' is not a finite number");
        Path ragged = csv("ragged.csv", "1,0,0,0");
        oneLine(train(ragged), "tinynn train: " + ragged + ":4: has 4 columns but line 2 has 5");
    }

    @Test void pixelOutsideTheByteRange() throws IOException {
        Path f = csv("px.csv", "1,0,0,0,300");
        oneLine(train(f), "tinynn train: " + f + ":4: column 5: value 300 is not a whole pixel value 0..255");
    }

    @Test void evalReportsTheSameWay() throws IOException {
        Path good = csv("good.csv", "0,5,5,5,5");
        Cli.Result trained = train(good);
        assertEquals(Errors.OK, trained.code(), trained::toString);
        Path f = dir.resolve("eval-latin1.csv");
        Files.write(f, "0,0,0,0,\u00ff\n".getBytes(StandardCharsets.ISO_8859_1));
        oneLine(Cli.run("eval", dir.resolve("m.tnn").toString(), "--csv", f.toString()),
                "tinynn eval: " + f + ":1: byte 9 (0xff) is not valid UTF-8 text");
        Path neg = csv("eval-neg.csv", "-1,0,0,0,0");
        oneLine(Cli.run("eval", dir.resolve("m.tnn").toString(), "--csv", neg.toString()),
                "tinynn eval: " + neg + ":4: column 1: label -1 is negative");
    }
}
