package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.cli.report.PlotFiles;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;

/**
 * --val-split, --early-stop, --save-best, --log and --plot through the CLI, on a data set built to
 * overfit: random pixels with random labels, so the network memorises the training examples and the
 * held-out loss rises after the first epochs.
 */
class TrainingControlTest {
    @TempDir static Path dir;
    static Path csv;

    @BeforeAll static void noise() throws IOException {
        Random r = new Random(3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 80; i++) {
            sb.append(r.nextInt(2));
            for (int p = 0; p < 16; p++) sb.append(',').append(r.nextInt(256));
            sb.append('\n');
        }
        csv = dir.resolve("noise.csv");
        Files.writeString(csv, sb);
    }

    static String[] train(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--train-csv", csv.toString(), "--hidden", "64", "--lr", "0.02",
                "--batch-size", "10", "--progress", "none", "--threads", "1", "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static double minValLoss(Model m) {
        return m.history().stream().mapToDouble(EpochMetrics::valLoss).min().orElseThrow();
    }

    @Test void earlyStoppingEndsTheRunAndTheBestFileHoldsTheBestEpoch() throws IOException {
        Path out = dir.resolve("stop.tnn"), best = dir.resolve("best.tnn");
        Cli.Result r = Cli.run(train(out, "--epochs", "60", "--val-split", "0.25", "--early-stop", "3", "--save-best", best.toString()));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("data: 60 training examples"), r::toString);
        assertTrue(r.out().contains("val loss"), r::toString);
        assertTrue(r.out().contains("early stop after epoch"), r::toString);
        Model m = Model.load(out);
        assertTrue(m.epoch() < 60, "stopped early, after " + m.epoch() + " epochs");
        int bestEpoch = m.monitorState().bestEpoch();
        assertEquals(m.epoch(), bestEpoch + 1 + 3, "stopped 3 epochs after the best");
        assertEquals(minValLoss(m), m.history().get(bestEpoch).valLoss());
        assertTrue(m.history().getLast().valLoss() > m.history().get(bestEpoch).valLoss());
        Cli.Result i = Cli.run("inspect", out.toString());
        assertTrue(i.out().contains("monitor val_loss: best ") && i.out().contains("at epoch " + (bestEpoch + 1) + ", 3 epochs since"), i::toString);
        assertTrue(i.out().contains("val loss"), i::toString);
        Model b = Model.load(best);
        assertEquals(bestEpoch + 1, b.epoch(), "the best file is the model after the best epoch");
        assertEquals(m.history().get(bestEpoch).valLoss(), b.history().getLast().valLoss());
    }

    @Test void aResumedRunGoesOnWithItsOptionsAndCountsAndStopsWhereAStraightRunStops() throws IOException {
        Path straight = dir.resolve("straight.tnn");
        assertEquals(0, Cli.run(train(straight, "--epochs", "60", "--val-split", "0.25", "--early-stop", "3")).code());
        Model s = Model.load(straight);
        int stopped = s.epoch();
        Path cut = dir.resolve("cut.tnn");
        Cli.Result first = Cli.run(train(cut, "--epochs", Integer.toString(stopped - 1), "--val-split", "0.25", "--early-stop", "3"));
        assertEquals(0, first.code(), first::toString);
        assertFalse(first.out().contains("early stop"), first::toString);
        assertEquals(2, Model.load(cut).monitorState().stale(), "one epoch short of the patience");
        // --val-split and --early-stop come from the file.
        Cli.Result r = Cli.run("train", "--resume", cut.toString(), "--epochs", "60", "--progress", "none", "--threads", "1");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("early stop after epoch " + stopped), r::toString);
        Model c = Model.load(cut);
        assertEquals(stopped, c.epoch());
        assertEquals(s.monitorState(), c.monitorState());
        for (int e = 0; e < stopped; e++) {
            assertEquals(s.history().get(e).valLoss(), c.history().get(e).valLoss(), "epoch " + e);
            assertEquals(s.history().get(e).trainLoss(), c.history().get(e).trainLoss(), "epoch " + e);
        }
    }

    @Test void logAndPlotFilesHaveARowAndPointsPerEpoch() throws Exception {
        Path out = dir.resolve("log.tnn"), log = dir.resolve("run.csv"), jsonl = dir.resolve("run.jsonl"), svg = dir.resolve("run.svg");
        Cli.Result r = Cli.run(train(out, "--epochs", "3", "--val-split", "0.25", "--log", log.toString(), "--plot", svg.toString()));
        assertEquals(0, r.code(), r::toString);
        List<String> rows = Files.readAllLines(log);
        assertEquals("epoch,train_loss,val_loss,val_acc,test_loss,test_acc,lr,seconds", rows.getFirst());
        assertEquals(4, rows.size(), rows::toString);
        Model m = Model.load(out);
        String[] third = rows.get(3).split(",", -1);
        assertEquals("3", third[0]);
        assertEquals(m.history().get(2).trainLoss(), Double.parseDouble(third[1]));
        assertEquals(m.history().get(2).valLoss(), Double.parseDouble(third[2]));
        assertEquals("", third[4], "no test set: empty");
        assertEquals(0.02, Double.parseDouble(third[6]), 1e-7);
        assertEquals(3, PlotFiles.points(svg, "val-loss"));
        // Resumed with a JSON-lines log: the file starts with the history, whose lr is not recorded.
        r = Cli.run("train", "--resume", out.toString(), "--epochs", "4", "--log", jsonl.toString(), "--progress", "none");
        assertEquals(0, r.code(), r::toString);
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(4, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("{\"epoch\":1,\"train_loss\":"), lines::toString);
        assertTrue(lines.get(0).contains("\"test_loss\":null") && lines.get(0).contains("\"lr\":null"), lines::toString);
        assertTrue(lines.get(3).startsWith("{\"epoch\":4,") && lines.get(3).contains("\"lr\":0.02"), lines::toString);
        assertEquals(4, PlotFiles.points(svg, "train-loss"), "the resumed run keeps the recorded --plot");
    }

    @Test void badValuesAreUsageErrors() {
        Path out = dir.resolve("bad.tnn");
        assertEquals(2, Cli.run(train(out, "--val-split", "1.5")).code());
        assertEquals(2, Cli.run(train(out, "--early-stop", "0")).code());
        assertEquals(2, Cli.run(train(out, "--monitor", "accuracy")).code());
        assertEquals(2, Cli.run(train(out, "--log", dir.resolve("x.txt").toString())).code());
        assertEquals(2, Cli.run(train(out, "--plot", dir.resolve("x.jpg").toString())).code());
        Cli.Result r = Cli.run(train(out, "--early-stop", "2", "--monitor", "val_loss"));
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("--monitor val_loss needs --val-split"), r::toString);
        assertFalse(Files.exists(out));
    }

    @Test void aSpecsTrainingControlBlockGivesTheDefaults() throws IOException {
        Path spec = dir.resolve("spec.txtpb"), out = dir.resolve("spec.tnn"), log = dir.resolve("spec.csv");
        Files.writeString(spec, """
                layers {
                  layers { type: "dense" attrs { key: "out" value { i: 16 } } }
                  layers { type: "relu" }
                  layers { type: "dense" attrs { key: "out" value { i: 2 } } }
                }
                training { control { val_split: 0.25 log: "%s" } }
                """.formatted(log.toString()));
        Cli.Result r = Cli.run("train", "--train-csv", csv.toString(), "--arch", spec.toString(), "--epochs", "2",
                "--progress", "none", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("data: 60 training examples"), r::toString);
        assertEquals(3, Files.readAllLines(log).size());
    }
}
