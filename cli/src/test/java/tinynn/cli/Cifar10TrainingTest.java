package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.data.Cifar10;
import tinynn.examples.Cifar10Fixture;
import tinynn.graph.Shape;
import tinynn.runtime.model.Model;

/**
 * {@code train --data cifar10} end to end, on a cache directory as the fetcher leaves it: the six batches in CIFAR-10's exact
 * binary format and size (generated: coloured stripes, see Cifar10Fixture), each with its {@code .sha256} record. A CNN gets
 * [N, 3, 32, 32], an mlp the 3072 values; resume and eval find the data set recorded in the model.
 */
class Cifar10TrainingTest {
    @TempDir static Path dir;
    static Path cache;

    @BeforeAll static void cache() throws IOException, NoSuchAlgorithmException {
        cache = Cifar10Fixture.write(dir.resolve("cifar10"), 50_000, 10_000, 3);
        List<String> files = new ArrayList<>(Cifar10.TRAIN_FILES);
        files.add(Cifar10.TEST_FILE);
        for (String f : files) {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(cache.resolve(f))));
            Files.writeString(cache.resolve(f + ".sha256"), sha + "  " + f + "\n", StandardCharsets.US_ASCII);
        }
    }

    static double lastTestAccuracy(Path model) throws IOException {
        return Model.load(model).history().getLast().testAccuracy();
    }

    @Test void aCnnTrainsOnColourImagesAndResumesAndEvaluatesFromTheRecordedSet() throws IOException {
        Path model = dir.resolve("cnn.tnn");
        Cli.Result r = Cli.run("train", "--data", "cifar10", "--data-dir", cache.toString(), "--arch", "lenet5", "--limit", "2000",
                "--epochs", "1", "--batch-size", "32", "--progress", "none", "--threads", "1", "--out", model.toString());
        assertEquals(0, r.code(), r::toString);
        Model m = Model.load(model);
        assertEquals(Shape.of(1, 3, 32, 32), m.inputShape());
        assertEquals("cifar10", m.metadata().get(ModelInfo.DATASET));
        assertTrue(m.metadata().get("class_labels").startsWith("airplane,automobile,bird"), m.metadata()::toString);
        assertTrue(lastTestAccuracy(model) > 0.5, r::toString); // chance: 0.1

        Cli.Result resumed = Cli.run("train", "--resume", model.toString(), "--data-dir", cache.toString(), "--epochs", "2",
                "--progress", "none", "--threads", "1", "--out", model.toString());
        assertEquals(0, resumed.code(), resumed::toString);
        assertEquals(2, Model.load(model).history().size());

        Cli.Result e = Cli.run("eval", model.toString(), "--data-dir", cache.toString(), "--threads", "1");
        assertEquals(0, e.code(), e::toString);
        Matcher acc = Pattern.compile("accuracy +([0-9.]+) +\\(([0-9,]+)/10,000\\)").matcher(e.out());
        assertTrue(acc.find(), e::toString);
        assertTrue(Double.parseDouble(acc.group(1)) > 0.5, e::toString);
    }

    @Test void anMlpGetsTheFlattenedColourValues() throws IOException {
        Path model = dir.resolve("mlp.tnn");
        Cli.Result r = Cli.run("train", "--data", "cifar10", "--data-dir", cache.toString(), "--hidden", "32", "--limit", "1000",
                "--epochs", "1", "--progress", "none", "--threads", "1", "--out", model.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals(Shape.of(1, 3 * 32 * 32), Model.load(model).inputShape());
    }
}
