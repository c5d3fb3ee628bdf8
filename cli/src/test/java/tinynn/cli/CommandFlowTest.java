package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.TrainingRun;
import tinynn.runtime.train.TrainingListener;

/** train → save → inspect → predict → eval on generated fixtures, all in-process through picocli. */
class CommandFlowTest {
    @TempDir static Path dir;
    static Fixtures fx;

    @BeforeAll static void fixtures() throws IOException {
        fx = Fixtures.write(dir, 1000, 200);
    }

    static String[] idx(String... more) {
        String[] base = {"train", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(),
                "--test-images", fx.testImages.toString(), "--test-labels", fx.testLabels.toString(),
                "--hidden", "64", "--progress", "none", "--threads", "1"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), () -> "no match for " + regex + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }

    /** A listener that runs {@code action} with the step (1-based within its epoch) after each step. */
    static TrainingListener afterStep(IntConsumer action) {
        return new TrainingListener() {
            @Override public void stepped(int epoch, int step, double loss, double meanLoss) {
                action.accept(step);
            }
        };
    }

    /** Ctrl-C simulated after step {@code at} of the first epoch that reaches it. */
    static Function<Checkpointer, TrainingListener> signalAt(int at) {
        return cp -> afterStep(step -> {
            if (step == at) {
                cp.simulateSignal();
                while (!cp.stopRequested()) Thread.onSpinWait();
            }
        });
    }

    /** Runs tinynn with Ctrl-C simulated after step {@code at} (of the first epoch that reaches it). */
    static Cli.Result interruptedAt(int at, String... args) {
        return Cli.train(signalAt(at), args);
    }

    @Test void trainInspectPredictEval() throws IOException {
        Path model = dir.resolve("flow.tnn");
        Path weights = dir.resolve("flow-weights.tnn");
        Cli.Result t = Cli.run(idx("--epochs", "2", "--out", model.toString(), "--weights-out", weights.toString()));
        assertEquals(0, t.code(), t::toString);
        assertTrue(Files.size(weights) < Files.size(model) / 2, "weights-only file holds no optimizer state");
        assertTrue(t.out().contains("epoch 1/2  train loss "), t::toString);
        assertTrue(t.out().contains("saved " + model), t::toString);
        double acc = number(t.out(), "epoch 2/2 .*test acc (\\d\\.\\d+)");
        assertTrue(acc > 0.9, "fixture should be learnt: " + t);
        assertTrue(Files.size(model) > 0);

        Cli.Result i = Cli.run("inspect", model.toString());
        assertEquals(0, i.code(), i::toString);
        assertTrue(i.out().contains("total parameters 50,890"), i::toString); // 784·64+64 + 64·10+10
        assertTrue(i.out().matches("(?s).*dense0\\s+dense\\s+\\[-1, 64\\].*"), i::toString);
        assertTrue(i.out().contains("training   epoch 2 done, 16 steps, optimizer adam"), i::toString);
        assertTrue(i.out().contains("           run of 2 epochs, batch size 128"), i::toString);
        assertFalse(i.out().contains("train_batch_size") || i.out().contains("train_epochs"), "the run is typed state, not metadata: " + i);
        assertTrue(i.out().contains("image_shape: 28,28"), i::toString);
        assertTrue(i.out().contains("class_labels: 0,1,2,3,4,5,6,7,8,9"), i::toString);

        Cli.Result p = Cli.run("predict", model.toString(), fx.png.toString(), "--top", "2");
        assertEquals(0, p.code(), p::toString);
        assertTrue(p.out().startsWith(fx.png + ": 3 (p="), p::toString);
        assertEquals(1, p.out().lines().count(), p::toString);

        Cli.Result pw = Cli.run("predict", weights.toString(), fx.png.toString(), "--top", "2");
        assertEquals(p.out().replace(model.toString(), ""), pw.out().replace(weights.toString(), ""), pw::toString);
        Cli.Result iw = Cli.run("inspect", weights.toString());
        assertTrue(iw.out().contains("training   none: a weights-only file (no optimizer state or history"), iw::toString);
        assertTrue(!iw.out().contains("epoch 0 done"), iw::toString);

        Cli.Result j = Cli.run("predict", model.toString(), fx.png.toString(), fx.testImages.toString(), "--json", "-k", "1");
        assertEquals(0, j.code(), j::toString);
        assertTrue(j.out().startsWith("{\"model\":"), j::toString);
        assertTrue(j.out().contains("{\"input\":\"" + fx.png + "\",\"inverted\":true,\"top\":[{\"class\":\"3\",\"index\":3,\"probability\":"), j::toString);
        assertTrue(j.out().contains(fx.testImages + "[199]"), j::toString);

        Cli.Result e = Cli.run("eval", model.toString(), "--images", fx.testImages.toString(), "--labels", fx.testLabels.toString());
        assertEquals(0, e.code(), e::toString);
        assertEquals(acc, number(e.out(), "accuracy\\s+(\\d\\.\\d+)"), 1e-4, e::toString);
        assertTrue(e.out().contains("confusion matrix (rows: actual, columns: predicted):"), e::toString);
        assertTrue(e.out().matches("(?s).*\\nclass\\s+precision\\s+recall\\s+f1\\s+support\\n0\\s+\\d\\.\\d{4}.*"), e::toString);
        assertTrue(e.out().contains("macro avg"), e::toString);

        Cli.Result g = Cli.run("inspect", model.toString(), "--graph");
        assertTrue(g.out().contains("matmul") && g.out().contains("graph (forward pass, batch of 1):"), g::toString);
        Cli.Result d = Cli.run("inspect", model.toString(), "--dot");
        assertTrue(d.out().startsWith("digraph tinynn {") && d.out().contains("->"), d::toString);
    }

    @Test void csvTrainingAndPrediction() {
        Path model = dir.resolve("csv.tnn");
        Cli.Result t = Cli.run("train", "--train-csv", fx.trainCsv.toString(), "--test-csv", fx.testCsv.toString(),
                "--hidden", "32", "--epochs", "1", "--progress", "lines", "--class-labels", "a,b,c,d,e,f,g,h,i,j",
                "--optimizer", "sgd", "--lr", "0.1", "--momentum", "0.9", "--out", model.toString());
        assertEquals(0, t.code(), t::toString);
        assertTrue(t.err().contains("epoch 1/1 step 2/8 loss"), t::toString); // plain progress lines off a terminal
        Cli.Result p = Cli.run("predict", model.toString(), fx.testCsv.toString(), "--top", "1");
        assertEquals(0, p.code(), p::toString);
        assertEquals(200, p.out().lines().count(), p::toString);
        assertTrue(p.out().lines().allMatch(l -> l.matches(".*test.csv:\\d+: [a-j] \\(p=\\d\\.\\d{4}\\)  \\[label [a-j]\\]")), p::toString);
        Cli.Result i = Cli.run("inspect", model.toString());
        assertTrue(i.out().contains("optimizer sgd lr=0.1 momentum=0.9"), i::toString);
        Cli.Result e = Cli.run("eval", model.toString(), "--csv", fx.testCsv.toString());
        assertEquals(0, e.code(), e::toString);
        assertTrue(e.out().contains("200 examples"), e::toString);
    }

    @Test void resumeContinuesAtTheSavedEpoch() {
        Path model = dir.resolve("resume.tnn");
        assertEquals(0, Cli.run(idx("--epochs", "1", "--out", model.toString())).code());
        Cli.Result r = Cli.run(idx("--resume", model.toString(), "--epochs", "3").clone());
        // --hidden is part of idx(); changing the architecture on resume is a usage error
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("--hidden cannot change when resuming"), r::toString);
        Cli.Result ok = Cli.run("train", "--resume", model.toString(), "--epochs", "3", "--progress", "none",
                "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString());
        assertEquals(0, ok.code(), ok::toString);
        assertTrue(ok.out().contains("epoch 2/3") && ok.out().contains("epoch 3/3") && !ok.out().contains("epoch 1/3"), ok::toString);
        Cli.Result i = Cli.run("inspect", model.toString());
        assertTrue(i.out().contains("training   epoch 3 done, 24 steps"), i::toString);
        Cli.Result again = Cli.run("train", "--resume", model.toString(), "--epochs", "3",
                "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString());
        assertEquals(2, again.code(), again::toString);
        assertTrue(again.err().contains("has already trained 3 epochs"), again::toString);
    }

    @Test void interruptSavesACheckpointBetweenStepsAndResumeFinishesTheEpoch() {
        Path model = dir.resolve("interrupt.tnn");
        Cli.Result r = interruptedAt(3, idx("--epochs", "2", "--out", model.toString()));
        assertEquals(130, r.code(), r::toString);
        assertEquals(1, r.errLines(), r::toString);
        assertTrue(r.err().contains("interrupted; checkpoint saved to " + model + " (epoch 1, step 3)"), r::toString);
        Cli.Result i = Cli.run("inspect", model.toString());
        assertTrue(i.out().contains("training   epoch 0 done, 3 steps"), i::toString);
        assertTrue(i.out().contains("interrupted in epoch 1 after step 3"), i::toString);

        Cli.Result ok = Cli.run("train", "--resume", model.toString(), "--epochs", "2", "--progress", "none",
                "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString());
        assertEquals(0, ok.code(), ok::toString);
        Cli.Result after = Cli.run("inspect", model.toString());
        // 8 steps per epoch: the resumed run skips the 3 batches already trained in epoch 1.
        assertTrue(after.out().contains("training   epoch 2 done, 16 steps"), after::toString);
        assertTrue(!after.out().contains("interrupted in epoch"), after::toString);
    }

    @Test void interruptAtTheEndOfAnEpochResumesWithItsEvaluation() {
        Path model = dir.resolve("interrupt-end.tnn");
        Cli.Result r = interruptedAt(8, idx("--epochs", "2", "--out", model.toString()));
        assertEquals(130, r.code(), r::toString);
        assertTrue(r.err().contains("(epoch 1, step 8)"), r::toString);
        Cli.Result ok = Cli.run("train", "--resume", model.toString(), "--epochs", "2", "--progress", "none",
                "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(),
                "--test-images", fx.testImages.toString(), "--test-labels", fx.testLabels.toString());
        assertEquals(0, ok.code(), ok::toString);
        // the train loss of the epoch, all of whose steps ran before the interrupt
        assertTrue(ok.out().matches("(?s).*epoch 1/2  train loss \\d\\.\\d{4}  test loss.*") && ok.out().contains("epoch 2/2"), ok::toString);
        assertTrue(Cli.run("inspect", model.toString()).out().contains("training   epoch 2 done, 16 steps"));
    }

    @Test void specFileInProtobufTextFormat() throws IOException {
        Path spec = dir.resolve("net.txtpb");
        Files.writeString(spec, """
                # tinynn.v1.Model in protobuf text format: only layers, training.optimizer and metadata are used
                layers {
                  layers { type: "dense" attrs { key: "out" value { i: 24 } } attrs { key: "init" value { s: "he_uniform" } } }
                  layers { type: "tanh" }
                  layers { type: "dense" attrs { key: "out" value { i: 10 } } }
                }
                training { optimizer { type: "sgd" hyper { key: "lr" value: 0.05 } } }
                metadata { key: "description" value: "fixture net" }
                """);
        Path model = dir.resolve("spec.tnn");
        Cli.Result t = Cli.run("train", "--arch", spec.toString(), "--epochs", "1", "--progress", "none", "--out", model.toString(),
                "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString());
        assertEquals(0, t.code(), t::toString);
        Cli.Result i = Cli.run("inspect", model.toString());
        assertTrue(i.out().matches("(?s).*dense0\\s+dense\\s+\\[-1, 24\\]\\s+18,840.*"), i::toString);
        assertTrue(i.out().contains("tanh") && i.out().contains("optimizer sgd lr=0.05"), i::toString);
        assertTrue(i.out().contains("description: fixture net"), i::toString);

        Path bad = dir.resolve("bad.txtpb");
        Files.writeString(bad, "layers { layers { type: \"dense\" \n nonsense: 3 } }\n");
        Cli.Result b = Cli.run("train", "--arch", bad.toString(), "--train-images", fx.trainImages.toString(),
                "--train-labels", fx.trainLabels.toString());
        assertEquals(1, b.code(), b::toString);
        assertEquals(1, b.errLines(), b::toString);
        assertTrue(b.err().startsWith("tinynn train: " + bad + ":2:"), b::toString);
    }

    @Test void resumeReusesTheRecordedDataSourceEpochsAndLimit() throws IOException {
        Path run = Files.createDirectories(dir.resolve("csv-run"));
        Path train = Files.copy(fx.trainCsv, run.resolve("train.csv"));
        Path test = Files.copy(fx.testCsv, run.resolve("test.csv"));
        Path model = run.resolve("csv-resume.tnn");
        Cli.Result r = interruptedAt(2, "train", "--train-csv", train.toString(), "--test-csv", test.toString(),
                "--image-shape", "28x28", "--classes", "10", "--limit", "500", "--hidden", "16", "--epochs", "2",
                "--progress", "none", "--threads", "1", "--out", model.toString());
        assertEquals(130, r.code(), r::toString);

        // nothing but the model file: data, --limit and --epochs come from it
        Cli.Result ok = Cli.run("train", "--resume", model.toString(), "--progress", "none", "--threads", "1");
        assertEquals(0, ok.code(), ok::toString);
        assertTrue(ok.out().contains("data: 500 training examples, 200 test examples"), ok::toString);
        assertTrue(ok.out().contains("epoch 1/2  train loss") && ok.out().contains("epoch 2/2") && !ok.out().contains("/20"), ok::toString);

        // options given again win
        Cli.Result more = Cli.run("train", "--resume", model.toString(), "--epochs", "3", "--limit", "300", "--progress", "none", "--threads", "1");
        assertEquals(0, more.code(), more::toString);
        assertTrue(more.out().contains("data: 300 training examples, 200 test examples") && more.out().contains("epoch 3/3"), more::toString);
        Cli.Result done = Cli.run("train", "--resume", model.toString());
        assertEquals(2, done.code(), done::toString);
        assertTrue(done.err().contains(model + " has already trained 3 epochs, the run's --epochs; pass a larger --epochs"), done::toString);

        // a recorded file that is gone is named, with the option that replaces it
        Files.delete(train);
        Cli.Result gone = Cli.run("train", "--resume", model.toString(), "--epochs", "4", "--progress", "none");
        assertEquals(1, gone.code(), gone::toString);
        assertEquals(1, gone.errLines(), gone::toString);
        assertTrue(gone.err().contains(train.toAbsolutePath() + ": no longer exists (recorded in " + model + " as --train-csv); pass --train-csv"), gone::toString);
    }

    @Test void resumeOfABuiltInDataSetUsesItsRecordedDataDir() throws IOException {
        Path model = dir.resolve("builtin.tnn");
        assertEquals(0, Cli.run(idx("--epochs", "1", "--out", model.toString())).code());
        // As if trained with --data mnist --data-dir DIR, DIR since deleted: no download into the default cache.
        Model m = Model.load(model);
        Path gone = dir.resolve("deleted-mnist-dir");
        m.trainingRun(new TrainingRun(1, "mnist", gone.toString(), null, null, null, null, null, null, 0, 0, 0, 0));
        m.save(model);
        Cli.Result r = Cli.run("train", "--resume", model.toString(), "--epochs", "2", "--progress", "none");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains(gone + ": no longer exists (recorded in " + model + " as --data-dir); pass --data-dir"), r::toString);
    }

    @Test void aResumedEpochReportsTheWholeEpochsTrainLoss() {
        Path whole = dir.resolve("loss-whole.tnn");
        Path cut = dir.resolve("loss-cut.tnn");
        Cli.Result w = Cli.run(idx("--epochs", "1", "--out", whole.toString()));
        assertEquals(0, w.code(), w::toString);
        Cli.Result r = interruptedAt(3, idx("--epochs", "1", "--out", cut.toString()));
        assertEquals(130, r.code(), r::toString);
        Cli.Result c = Cli.run("train", "--resume", cut.toString(), "--progress", "none");
        assertEquals(0, c.code(), c::toString);
        String loss = "epoch 1/1  train loss (\\d+\\.\\d+)";
        assertEquals(number(w.out(), loss), number(c.out(), loss), 0, () -> w + "\n" + c);
    }

    @Test void aDivergingLossExits1AndNeverOverwritesTheLastGoodModel() throws IOException {
        Path model = dir.resolve("diverge.tnn");
        Cli.Result fresh = Cli.run(idx("--epochs", "2", "--lr", "100", "--out", model.toString()));
        assertEquals(1, fresh.code(), fresh::toString);
        assertEquals(1, fresh.errLines(), fresh::toString);
        assertTrue(fresh.err().contains("the loss diverged in epoch 1: train loss ") && fresh.err().contains(model + " was not written"), fresh::toString);
        assertFalse(Files.exists(model));

        assertEquals(0, Cli.run(idx("--epochs", "1", "--out", model.toString())).code());
        byte[] good = Files.readAllBytes(model);
        Cli.Result r = Cli.run("train", "--resume", model.toString(), "--epochs", "3", "--lr", "100", "--progress", "none");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("the loss diverged in epoch 2") && r.err().contains(model + " keeps the last good state (1 epoch done)"), r::toString);
        assertArrayEquals(good, Files.readAllBytes(model));

        // Ctrl-C in a diverging epoch does not checkpoint it either
        Cli.Result i = interruptedAt(5, "train", "--resume", model.toString(), "--epochs", "3", "--lr", "100", "--progress", "none");
        assertEquals(1, i.code(), i::toString);
        assertTrue(i.err().contains("checkpoint not saved: the loss is diverging"), i::toString);
        assertArrayEquals(good, Files.readAllBytes(model));
    }

    @Test void aSecondTrainerOfTheSameOutputIsRefused() throws IOException {
        Path model = dir.resolve("locked.tnn");
        Path weights = dir.resolve("locked-weights.tnn");
        Cli.Result[] second = new Cli.Result[2];
        Cli.Result first = Cli.train(cp -> afterStep(step -> {
            if (step == 2 && second[0] == null) {
                second[0] = Cli.run(idx("--epochs", "1", "--out", model.toString()));
                second[1] = Cli.run(idx("--epochs", "1", "--out", dir.resolve("other.tnn").toString(), "--weights-out", weights.toString()));
            }
        }), idx("--epochs", "1", "--out", model.toString(), "--weights-out", weights.toString()));
        assertEquals(0, first.code(), first::toString);
        for (Cli.Result r : second) {
            assertNotNull(r);
            assertEquals(1, r.code(), r::toString);
            assertEquals(1, r.errLines(), r::toString);
            assertTrue(r.err().contains(": another tinynn train (process " + ProcessHandle.current().pid() + ") is writing it"), r::toString);
            assertEquals("", r.out(), r::toString);
        }
        assertTrue(second[0].err().startsWith("tinynn train: " + model + ": "), second[0]::toString);
        assertTrue(second[1].err().startsWith("tinynn train: " + weights + ": ") && second[1].err().contains("choose another --weights-out"), second[1]::toString);
        // released, and its file removed, at the end of the run
        assertFalse(Files.exists(OutputLock.lockFile(model)));
        try (OutputLock again = OutputLock.acquire(model, "--out")) {
            assertTrue(Files.exists(OutputLock.lockFile(model)));
        }
        assertFalse(Files.exists(OutputLock.lockFile(model)));
    }

    @Test void anInterruptWhoseCheckpointCannotBeSavedExits1() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("vanishing"));
        Path model = sub.resolve("m.tnn");
        Cli.Result r = Cli.train(cp -> afterStep(step -> {
            if (step == 3) {
                try {
                    Files.move(sub, dir.resolve("vanished"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                cp.simulateSignal();
                while (!cp.stopRequested()) Thread.onSpinWait();
            }
        }), idx("--epochs", "2", "--out", model.toString()));
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.errLines(), r::toString);
        assertTrue(r.err().startsWith("tinynn train: interrupted; could not save the checkpoint: "), r::toString);
    }

    /** A real SIGTERM to a training JVM: the hook saves, and the exit status is 130 (not the JVM's 143). */
    @Test void sigtermSavesTheCheckpointAndExits130() throws Exception {
        Path model = dir.resolve("sigterm.tnn");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-modules") || a.startsWith("--enable-native-access")) cmd.add(a);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(idx("--epochs", "100000", "--out", model.toString())));
        Path stderr = dir.resolve("sigterm.err");
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        try {
            BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("epoch 1/"));
            assertNotNull(line, "no epoch line from the training process");

            // the other process holds the lock on the model: a trainer here is refused
            Cli.Result second = Cli.run(idx("--epochs", "1", "--out", model.toString()));
            assertEquals(1, second.code(), second::toString);
            assertTrue(second.err().contains(model + ": another tinynn train (process " + p.pid() + ") is writing it"), second::toString);

            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close the pipes)
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            String err = Files.readString(stderr);
            assertEquals(130, p.exitValue(), err);
            assertTrue(err.contains("interrupted; checkpoint saved to " + model), err);
            assertFalse(Files.exists(OutputLock.lockFile(model)), "the lock file is removed on the way out");
        } finally {
            p.destroyForcibly();
        }
        assertTrue(Cli.run("inspect", model.toString()).out().contains("training   epoch "));
    }
}
