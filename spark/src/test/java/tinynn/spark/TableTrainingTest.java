package tinynn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.cli.SingleMachineData;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;

/**
 * tinynn-spark train on --target tables: the executors read the CSV file and standardise it with the statistics in the
 * model's metadata; the model file is the one tinynn train writes (task, columns, statistics, classes), so tinynn
 * eval, predict and train --resume take it.
 */
class TableTrainingTest {
    @TempDir static Path dir;
    static Path animals, animalsTest, prices, pricesTest;

    /** Features on wildly different scales (only standardised inputs train well), classes by a linear score, a linear price. */
    static void table(Path file, int n, boolean regression, Random rng) throws IOException {
        StringBuilder sb = new StringBuilder(regression ? "x1,x2,price,x3\n" : "x1,x2,species,x3\n");
        for (int i = 0; i < n; i++) {
            double x1 = 1000 + 1000 * rng.nextDouble(), x2 = 0.001 * rng.nextDouble(), x3 = rng.nextDouble();
            double s = (x1 - 1500) / 1000 + (x2 - 0.0005) * 1000 - (x3 - 0.5);
            String y = regression ? String.format(Locale.ROOT, "%.4f", 500 + 3 * (x1 - 1000) / 1000 + 2000 * x2 - x3 + 0.1 * (rng.nextDouble() - 0.5))
                    : s < -0.25 ? "cat" : s < 0.25 ? "dog" : "eel";
            sb.append(String.format(Locale.ROOT, "%.3f,%.7f,%s,%.5f%n", x1, x2, y, x3));
        }
        Files.writeString(file, sb);
    }

    @BeforeAll static void data() throws IOException {
        Random rng = new Random(7);
        animals = dir.resolve("animals.csv");
        animalsTest = dir.resolve("animals-test.csv");
        prices = dir.resolve("prices.csv");
        pricesTest = dir.resolve("prices-test.csv");
        table(animals, 203, false, rng);
        table(animalsTest, 80, false, rng);
        table(prices, 203, true, rng);
        table(pricesTest, 80, true, rng);
    }

    /**
     * A table model tinynn train wrote after one epoch, continued for another on local[2]: the same parameters as
     * tinynn's own Model continuing on one machine on the same global batches of the rows tinynn train reads
     * (--val-split held out by the model's seed on every node, features standardised with its statistics).
     */
    @Test void syncTrainingOfATableModelEqualsOneMachine() throws Exception {
        for (String task : List.of("classification", "regression")) {
            Path csv = task.equals("regression") ? prices : animals;
            Path first = dir.resolve(task + "-1.tnn"), cluster = dir.resolve(task + "-2.tnn");
            Commands.Run r = Commands.tinynn("train", "--train-csv", csv.toString(), "--target", task.equals("regression") ? "price" : "species",
                    "--task", task, "--hidden", "8", "--batch-size", "10", "--val-split", "0.2", "--epochs", "1", "--threads", "1",
                    "--progress", "none", "--out", first.toString());
            assertEquals(0, r.code(), r::toString);
            r = Commands.spark("train", "--master", "local[2]", "--resume", first.toString(), "--epochs", "2", "--out", cluster.toString());
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().contains("global batch 10 over 2 partitions"), r::toString);
            assertTrue(r.out().contains(task.equals("regression") ? ", val r2 " : ", val acc "), r::toString);

            Model reference = Model.load(first), trained = Model.load(cluster);
            Tensor[] rows = SingleMachineData.of(reference, "--train-csv", csv.toString(), "--val-split", "0.2");
            assertEquals(162, rows[0].shape().dim(0), "203 rows, a fifth held out");
            Models.trainReference(reference, rows[0], rows[1], 2, 10, 1, 2);
            assertEquals(reference.globalStep(), trained.globalStep());
            double diff = Models.maxRelativeDifference(trained, reference);
            assertTrue(diff < 1e-5, task + ": parameters differ by " + diff + " (relative)");
            assertTrue(Models.maxRelativeDifference(trained, Model.load(first)) > 1e-3, task + ": the cluster's epoch changed nothing");
            for (String key : SingleMachineData.predictionKeys(trained)) {
                assertEquals(reference.metadata().get(key), trained.metadata().get(key), task + ": metadata " + key);
            }
        }
    }

    /**
     * A classifier trained from scratch on the cluster (model averaging) writes the metadata tinynn train writes for the
     * same table, learns, and is evaluated, used and continued by tinynn.
     */
    @Test void aClusterTrainedClassifierIsATinynnTableModel() throws Exception {
        Path cluster = dir.resolve("animals-cluster.tnn"), single = dir.resolve("animals-single.tnn");
        Commands.Run r = Commands.spark("train", "--master", "local[2]", "--train-csv", animals.toString(), "--test-csv", animalsTest.toString(),
                "--target", "species", "--hidden", "16", "--batch-size", "16", "--lr", "0.01", "--epochs", "8", "--mode", "average",
                "--local-steps", "2", "--out", cluster.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("table: classification into 3 classes of 'species' from 3 feature columns (standardised)"), r::toString);
        Commands.Run s = Commands.tinynn("train", "--train-csv", animals.toString(), "--test-csv", animalsTest.toString(), "--target", "species",
                "--hidden", "16", "--epochs", "1", "--threads", "1", "--progress", "none", "--out", single.toString());
        assertEquals(0, s.code(), s::toString);
        Model m = Model.load(cluster), one = Model.load(single);
        for (String key : SingleMachineData.predictionKeys(one)) assertEquals(one.metadata().get(key), m.metadata().get(key), "metadata " + key);
        assertEquals("cat,dog,eel", m.metadata().get("class_labels"));
        assertTrue(m.history().getLast().testAccuracy() > 0.8, m.history()::toString); // measured 0.91; chance is a third

        Commands.Run e = Commands.tinynn("eval", cluster.toString(), "--test-csv", animalsTest.toString());
        assertEquals(0, e.code(), e::toString);
        Matcher acc = Pattern.compile("accuracy  ([0-9.]+)  \\((\\d+)/80\\)").matcher(e.out());
        assertTrue(acc.find() && Double.parseDouble(acc.group(1)) > 0.8, e::toString);
        Path rows = Files.writeString(dir.resolve("new-animals.csv"), "x3,x1,x2\n0.5,1050,0.0001\n0.5,1950,0.0009\n");
        Commands.Run p = Commands.tinynn("predict", cluster.toString(), rows.toString(), "--top", "1");
        assertEquals(0, p.code(), p::toString);
        assertTrue(p.out().contains(rows + ":2: cat (p=") && p.out().contains(rows + ":3: eel (p="), p::toString);
        Commands.Run more = Commands.tinynn("train", "--resume", cluster.toString(), "--epochs", "9", "--threads", "1", "--progress", "none");
        assertEquals(0, more.code(), more::toString);
        assertEquals(9, Model.load(cluster).epoch());
    }

    /**
     * A regression trained from scratch on the cluster with checkpoints: R² per epoch, the test set's RMSE, MAE and R²
     * at the end, tinynn eval in the target's units, and the checkpoint continued by a new driver.
     */
    @Test void aClusterTrainedRegressionReportsItsFitAndResumesFromItsCheckpoint() throws Exception {
        Path cluster = dir.resolve("prices-cluster.tnn"), ckpt = dir.resolve("prices-ckpt.tnn");
        Commands.Run r = Commands.spark("train", "--master", "local[2]", "--train-csv", prices.toString(), "--test-csv", pricesTest.toString(),
                "--target", "price", "--task", "regression", "--hidden", "16", "--batch-size", "16", "--lr", "0.01", "--epochs", "6",
                "--checkpoint", ckpt.toUri().toString(), "--checkpoint-every", "5", "--out", cluster.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains(", test r2 "), r::toString);
        Matcher fit = Pattern.compile("test rmse (\\S+)  mae (\\S+)  r2 (\\S+)").matcher(r.out());
        assertTrue(fit.find() && Double.parseDouble(fit.group(3)) > 0.9, r::toString); // measured 0.98; predicting the mean gives 0
        Model m = Model.load(cluster);
        assertEquals("regression", m.metadata().get("task"));
        double mean = Files.readAllLines(prices).stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[2])).average().orElseThrow();
        assertEquals(mean, Double.parseDouble(m.metadata().get("target_mean")), 1e-6 * mean, "the training rows' mean price");

        Commands.Run e = Commands.tinynn("eval", cluster.toString(), "--csv", pricesTest.toString());
        assertEquals(0, e.code(), e::toString);
        Matcher r2 = Pattern.compile("r2    (\\S+)").matcher(e.out());
        assertTrue(r2.find() && Double.parseDouble(r2.group(1)) > 0.9, e::toString);

        Commands.Run again = Commands.spark("train", "--master", "local[2]", "--checkpoint", ckpt.toUri().toString(), "--resume-checkpoint",
                "--epochs", "7", "--out", cluster.toString());
        assertEquals(0, again.code(), again::toString);
        Model resumed = Model.load(cluster);
        assertEquals(7, resumed.epoch());
        assertEquals(m.metadata().get("feature_mean"), resumed.metadata().get("feature_mean"));
        assertTrue(again.out().contains("test rmse "), again::toString);
    }
}
