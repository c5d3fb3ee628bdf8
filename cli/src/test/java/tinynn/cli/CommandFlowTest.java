package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        TrainCommand.afterStep = (cp, step) -> {
            if (step == 3) {
                cp.simulateSignal();
                while (!cp.stopRequested()) Thread.onSpinWait();
            }
        };
        Cli.Result r;
        try {
            r = Cli.run(idx("--epochs", "2", "--out", model.toString()));
        } finally {
            TrainCommand.afterStep = null;
        }
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
        TrainCommand.afterStep = (cp, step) -> {
            if (step == 8) {
                cp.simulateSignal();
                while (!cp.stopRequested()) Thread.onSpinWait();
            }
        };
        Cli.Result r;
        try {
            r = Cli.run(idx("--epochs", "2", "--out", model.toString()));
        } finally {
            TrainCommand.afterStep = null;
        }
        assertEquals(130, r.code(), r::toString);
        assertTrue(r.err().contains("(epoch 1, step 8)"), r::toString);
        Cli.Result ok = Cli.run("train", "--resume", model.toString(), "--epochs", "2", "--progress", "none",
                "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(),
                "--test-images", fx.testImages.toString(), "--test-labels", fx.testLabels.toString());
        assertEquals(0, ok.code(), ok::toString);
        assertTrue(ok.out().contains("epoch 1/2  train loss -  test loss") && ok.out().contains("epoch 2/2"), ok::toString);
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
}
