package tinynn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.runtime.model.Model;

/** tinynn-spark train end to end in local mode: the model file, one-line errors, and a killed driver resumed from its checkpoint. */
class TrainCommandTest {
    @TempDir static Path dir;
    static List<String> data;
    static final int N = 200, SIDE = 6;

    @BeforeAll static void data() throws Exception { data = TestData.idx(dir, N, SIDE, 17); }

    static Commands.Run run(String... args) { return Commands.spark(args); }

    static List<String> train(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--master", "local[2]"));
        a.addAll(data);
        a.addAll(List.of("--hidden", "16", "--batch-size", "10", "--lr", "0.01", "--seed", "3", "--out", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    @Test void writesAModelFileThatTinynnLoads() throws Exception {
        Path out = dir.resolve("sync.tnn");
        Commands.Run r = run(train(out, "--epochs", "2", "--test-images", data.get(1), "--test-labels", data.get(3)).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("epoch 2/2"), r.out());
        Model m = Model.load(out);
        assertEquals(2, m.epoch());
        assertEquals(2 * 20, m.globalStep()); // 100 examples a partition, shards of 5
        assertEquals("sync", m.metadata().get("spark_mode"));
        assertTrue(m.history().getLast().testAccuracy() > 0.5, "learned: " + m.history());
    }

    /** CSV rows and image folders are read on the executors too, with tinynn train's readers. */
    @Test void readsCsvAndImageFoldersOnTheExecutors() throws Exception {
        tinynn.data.ImageDataset all = tinynn.data.ImageDataset.load(Path.of(data.get(1)), Path.of(data.get(3)), 4);
        StringBuilder csv = new StringBuilder();
        Path folders = dir.resolve("folders");
        for (int i = 0; i < all.count(); i++) {
            csv.append(all.label(i));
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(SIDE, SIDE, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < SIDE * SIDE; p++) {
                int v = all.pixels()[i * SIDE * SIDE + p] & 0xFF;
                csv.append(',').append(v);
                img.getRaster().setSample(p % SIDE, p / SIDE, 0, v);
            }
            csv.append('\n');
            Path classDir = Files.createDirectories(folders.resolve("class" + all.label(i)));
            javax.imageio.ImageIO.write(img, "png", classDir.resolve(i + ".png").toFile());
        }
        Path csvFile = Files.writeString(dir.resolve("train.csv"), csv);
        for (List<String> source : List.of(List.of("--train-csv", csvFile.toString()), List.of("--train-dir", folders.toString()))) {
            Path out = dir.resolve("from-" + source.getFirst().substring(2) + ".tnn");
            List<String> a = new ArrayList<>(List.of("train", "--master", "local[2]"));
            a.addAll(source);
            a.addAll(List.of("--hidden", "16", "--batch-size", "10", "--lr", "0.01", "--epochs", "2", "--out", out.toString()));
            Commands.Run r = run(a.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            Model m = Model.load(out);
            assertEquals(2 * 20, m.globalStep(), source + ": 200 examples read on the executors");
            assertTrue(m.history().getLast().trainLoss() < m.history().getFirst().trainLoss(), source + ": learned " + m.history());
        }
    }

    @Test void fineTunesFromTheWeightsOfAnotherModel() throws Exception {
        Path first = dir.resolve("first.tnn"), fresh = dir.resolve("fresh.tnn"), tuned = dir.resolve("tuned.tnn");
        Commands.Run r = run(train(first, "--epochs", "3").toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        r = run(train(fresh, "--epochs", "1").toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<String> a = new ArrayList<>(List.of("train", "--master", "local[2]"));
        a.addAll(data);
        a.addAll(List.of("--init-from", first.toString(), "--batch-size", "10", "--lr", "0.01", "--epochs", "1", "--out", tuned.toString()));
        r = run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("fine-tuning first.tnn"), r.out());
        Model m = Model.load(tuned), f = Model.load(fresh), start = Model.load(first);
        assertEquals(1, m.epoch());
        // Starting from three trained epochs, its first epoch's loss is below a fresh start's and near where the first run ended.
        assertTrue(m.history().getFirst().trainLoss() < f.history().getFirst().trainLoss(), m.history() + " vs " + f.history());
        assertTrue(m.history().getFirst().trainLoss() < 1.5 * start.history().getLast().trainLoss(), m.history() + " vs " + start.history());

        a.addAll(List.of("--hidden", "8"));
        r = run(a.toArray(String[]::new));
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--hidden cannot be given with --init-from"), r.err());
    }

    /** --dtype f64: a model file in double (parameters and optimizer state), continued with --mode average and evaluated by tinynn. */
    @Test void trainsF64Models() throws Exception {
        Path out = dir.resolve("f64.tnn");
        Commands.Run r = run(train(out, "--dtype", "f64", "--epochs", "1").toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("parameters (f64)"), r.out());
        Model first = Model.load(out);
        assertEquals(tinynn.graph.DType.F64, first.dtype());
        r = run("train", "--master", "local[2]", "--resume", out.toString(), "--epochs", "2", "--mode", "average", "--local-steps", "2");
        assertEquals(0, r.code(), r.err());
        Model second = Model.load(out);
        assertEquals(tinynn.graph.DType.F64, second.dtype());
        assertEquals(2, second.epoch());
        assertTrue(second.optimizer().slots().get("m").values().iterator().next().dtype() == tinynn.graph.DType.F64, "Adam's state in double");
        assertTrue(Models.maxRelativeDifference(second, first) > 1e-3, "the second epoch trained");
        Commands.Run e = Commands.tinynn("eval", out.toString(), "--images", data.get(1), "--labels", data.get(3));
        assertEquals(0, e.code(), e.toString());
        assertTrue(e.out().contains("accuracy"), e.out());

        r = run("train", "--master", "local[1]", "--resume", out.toString(), "--epochs", "3", "--dtype", "f32");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--dtype cannot change when resuming"), r.err());
    }

    @Test void controlOptionsWorkAsInTinynnTrain() throws Exception {
        Path out = dir.resolve("control.tnn"), best = dir.resolve("best.tnn"), log = dir.resolve("run.csv"), plot = dir.resolve("curves.svg");
        // test_acc can never beat its first epoch by 1, so with patience 1 the run stops after its second epoch of five.
        Commands.Run r = run(train(out, "--epochs", "5", "--test-images", data.get(1), "--test-labels", data.get(3), "--monitor", "test_acc",
                "--early-stop", "1", "--min-delta", "1", "--save-best", best.toString(), "--log", log.toString(), "--plot", plot.toString())
                .toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("early stop after epoch 2: test_acc did not improve for 1 epochs (best "), r.out());
        Model m = Model.load(out), b = Model.load(best);
        assertEquals(2, m.epoch());
        assertEquals(1, b.epoch()); // the best epoch's model: the first
        assertEquals(0, m.monitorState().bestEpoch());
        assertEquals(1, m.monitorState().stale());
        List<String> lines = Files.readAllLines(log);
        assertEquals(3, lines.size(), lines::toString); // a header and one row an epoch
        assertTrue(Files.readString(plot).contains("<svg "), "plot");
    }

    @Test void errorsAreOneLine() {
        Commands.Run r = run(train(dir.resolve("x.tnn"), "--mode", "sideways").toArray(String[]::new));
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--mode: 'sideways' is not sync or average"), r.err());

        Commands.Run missing = run("train", "--master", "local[1]", "--train-images", dir.resolve("none.idx").toString(), "--train-labels",
                data.get(3), "--out", dir.resolve("y.tnn").toString());
        assertEquals(1, missing.code(), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().contains("none.idx"), missing.err());

        Path same = dir.resolve("same.tnn");
        Commands.Run twice = run(train(same, "--weights-out", same.toString()).toArray(String[]::new));
        assertEquals(2, twice.code(), twice.err());
        assertEquals(1, twice.err().strip().lines().count(), twice.err());
        assertTrue(twice.err().contains("--weights-out must differ from the checkpoint file"), twice.err());
        assertFalse(Files.exists(same), "nothing written");
    }

    /** Like tinynn's: every help example fits 80 columns and starts with the command or continues the one before. */
    @Test void helpExamplesCanBePasted() {
        for (String[] args : new String[][] {{"--help"}, {"train", "--help"}}) {
            Commands.Run r = run(args);
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            int i = lines.indexOf("Examples:");
            assertTrue(i >= 0, r.out());
            boolean continued = false;
            for (String line : lines.subList(i + 1, lines.size())) {
                if (line.isBlank() && !continued) break;
                assertTrue(line.length() <= 80, "too wide: " + line);
                assertTrue(continued ? line.startsWith("    ") : line.startsWith("  tinynn-spark "), "not a command or its continuation: " + line);
                continued = line.endsWith("\\");
            }
        }
    }

    /**
     * The driver is a child JVM, killed (SIGKILL) once its first checkpoint is written; a new driver continues from
     * the checkpoint and ends with the parameters of a run that was never interrupted.
     */
    @Test void aKilledDriverResumesFromItsCheckpoint() throws Exception {
        Path whole = dir.resolve("whole.tnn");
        String[] opts = {"--epochs", "3", "--checkpoint-every", "4"};
        Commands.Run r = run(train(whole, concat(opts, "--checkpoint", dir.resolve("whole-ckpt.tnn").toUri().toString())).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());

        Path killed = dir.resolve("killed.tnn");
        Path ckpt = dir.resolve("ckpt.tnn");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--") || a.startsWith("-D")).toList());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        // Its Spark scratch files in the test's folder: a killed driver leaves them behind.
        cmd.addAll(train(killed, concat(opts, "--checkpoint", ckpt.toUri().toString(), "--conf", "spark.local.dir=" + dir.resolve("child-spark"))));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            while (!Files.exists(ckpt) && p.isAlive()) Thread.sleep(10);
            assertTrue(p.isAlive(), "the driver ended before it could be killed: " + Files.readString(dir.resolve("child.log")));
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        Model atKill = Model.load(ckpt);
        assertTrue(atKill.epoch() < 3, "killed mid-training");

        Commands.Run reseeded = run(train(killed, "--checkpoint", ckpt.toUri().toString(), "--resume-checkpoint").toArray(String[]::new));
        assertEquals(2, reseeded.code(), "train() passes --seed, which a resumed run takes from its file: " + reseeded.err());
        Commands.Run again = run("train", "--master", "local[2]", "--checkpoint", ckpt.toUri().toString(), "--resume-checkpoint",
                "--out", killed.toString());
        assertEquals(0, again.code(), again.err());
        Model a = Model.load(whole), b = Model.load(killed);
        assertEquals(3, b.epoch());
        assertEquals(a.globalStep(), b.globalStep());
        for (Map.Entry<String, float[]> e : ClusterTrainer.values(a).entrySet()) {
            assertArrayEquals(e.getValue(), ClusterTrainer.values(b).get(e.getKey()), e.getKey());
        }
        assertFalse(Files.exists(dir.resolve(".ckpt.tnn.tmp")), "no temporary checkpoint left");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
