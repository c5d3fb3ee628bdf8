package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;

/**
 * Issue 8, item 15: predict applies train's pixel rule to CSV inputs (integers 0..255, finite),
 * and a model whose output is NaN/Inf is a failure naming the model file (and the bad parameter),
 * in predict and in eval, instead of "0 (p=NaN)" with exit 0.
 */
class PredictValuesTest {
    @TempDir static Path dir;
    static Fixtures fx;
    static Path model;

    @BeforeAll static void fixtures() throws IOException {
        fx = Fixtures.write(dir, 100, 20);
        model = dir.resolve("m.tnn");
        Cli.Result r = Cli.run("train", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(),
                "--hidden", "8", "--epochs", "1", "--progress", "none", "--out", model.toString());
        assertEquals(0, r.code(), r::toString);
    }

    /** A CSV of one labelled row of 784 pixels of value 7, except pixel 5 which is {@code odd}. */
    static Path csv(String name, String odd) throws IOException {
        StringBuilder sb = new StringBuilder("3");
        for (int i = 0; i < Fixtures.SIDE * Fixtures.SIDE; i++) sb.append(',').append(i == 5 ? odd : "7");
        Path p = dir.resolve(name);
        Files.writeString(p, sb.append('\n'));
        return p;
    }

    @Test void csvValuesOutsideThePixelRangeAreRefusedAsTrainRefusesThem() throws IOException {
        for (String odd : new String[] {"300", "-1", "NaN", "Infinity", "0.5"}) {
            Path f = csv("odd.csv", odd);
            ErrorHandlingTest.oneLine(Cli.run("predict", model.toString(), f.toString()), 1,
                    "tinynn predict: " + f + ":1: field 7 ('" + odd + "') is not a pixel value", "integers 0..255");
            Cli.Result train = Cli.run("train", "--train-csv", f.toString(), "--epochs", "1", "--progress", "none",
                    "--out", dir.resolve("t.tnn").toString());
            assertEquals(1, train.code(), () -> "train refuses " + odd + " too: " + train);
        }
        Path ok = csv("ok.csv", "255");
        assertEquals(0, Cli.run("predict", model.toString(), ok.toString()).code());
    }

    @Test void csvLabelOutOfRange() throws IOException {
        Path f = dir.resolve("label.csv");
        Files.writeString(f, Files.readString(csv("tmp.csv", "7")).replaceFirst("^3", "-1"));
        ErrorHandlingTest.oneLine(Cli.run("predict", model.toString(), f.toString()), 1,
                "tinynn predict: " + f + ":1: label -1 is out of range", "(0..9)");
    }

    /** A copy of the model with every value of its first parameter set to {@code value}. */
    static Path damaged(String name, double value, boolean all) throws IOException {
        Model m = Model.load(model);
        String first = null;
        for (Map.Entry<String, Tensor> p : m.parameters().asMap().entrySet()) {
            if (first == null) first = p.getKey();
            if (all || p.getKey().equals(first)) for (int i = 0; i < p.getValue().size(); i++) p.getValue().set(i, value);
        }
        Path out = dir.resolve(name);
        m.save(out);
        return out;
    }

    @Test void nanWeightsFailNamingTheModelAndParameter() throws IOException {
        Path bad = damaged("nan.tnn", Double.NaN, false);
        Cli.Result p = Cli.run("predict", bad.toString(), fx.png.toString());
        ErrorHandlingTest.oneLine(p, 1, "tinynn predict: " + bad + ": output is NaN for " + fx.png + "; the model's parameters contain NaN/Inf (parameter '", "holds NaN");
        Cli.Result e = Cli.run("eval", bad.toString(), "--csv", fx.testCsv.toString());
        ErrorHandlingTest.oneLine(e, 1, "tinynn eval: " + bad + ": output is NaN for example 1 of " + fx.testCsv, "parameter '");
    }

    @Test void overflowingFiniteWeightsFailWithoutPartialOutput() throws IOException {
        // Every parameter 1e18: a black image gives logits near 8e36 (finite), a white one 6e39 (Inf in float).
        Path big = damaged("big.tnn", 1e18, true);
        Path rows = dir.resolve("black-white.csv");
        StringBuilder sb = new StringBuilder();
        for (String v : new String[] {"0", "255"}) sb.append(String.join(",", java.util.Collections.nCopies(784, v))).append('\n');
        Files.writeString(rows, sb);
        Cli.Result p = Cli.run("predict", big.toString(), rows.toString());
        ErrorHandlingTest.oneLine(p, 1, "tinynn predict: " + big + ": output is Infinity for " + rows + ":2; ", "its parameters are finite");
    }
}
