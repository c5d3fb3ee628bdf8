package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.runtime.model.Model;

/** --schedule, --schedule-args, --warmup and the spec's lr_schedule: the epoch lines' lr, inspect, and resume. */
class ScheduleCliTest {
    @TempDir static Path dir;
    static Fixtures fx;

    @BeforeAll static void fixtures() throws IOException {
        fx = Fixtures.write(dir, 1000, 200); // 8 steps of 128 per epoch
    }

    static String[] train(String... more) {
        String[] base = {"train", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(),
                "--hidden", "16", "--progress", "none", "--threads", "1"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test void eachEpochLineShowsTheScheduledRateAndInspectTheSchedule() {
        Path model = dir.resolve("step.tnn");
        Cli.Result t = Cli.run(train("--epochs", "3", "--lr", "0.01", "--schedule", "step", "--schedule-args", "step_size=1,gamma=0.5",
                "--warmup", "4", "--out", model.toString()));
        assertEquals(0, t.code(), t::toString);
        assertTrue(t.out().contains("schedule: step gamma=0.5 step_size=1 per epoch, warm-up 4 steps, base lr 0.01\n"), t::toString);
        assertTrue(t.out().matches("(?s).*epoch 1/3  train loss \\S+  test loss -  test acc -  lr 0\\.01  .*"), t::toString);
        assertTrue(t.out().matches("(?s).*epoch 2/3 .*  lr 0\\.005  .*"), t::toString);
        assertTrue(t.out().matches("(?s).*epoch 3/3 .*  lr 0\\.0025  .*"), t::toString);
        Cli.Result i = Cli.run("inspect", model.toString());
        assertTrue(i.out().contains("           schedule step gamma=0.5 step_size=1 per epoch, warm-up 4 steps, base lr 0.01; lr now 0.0025"),
                i::toString);
    }

    @Test void aRunInterruptedMidEpochAndResumedEndsWhereTheStraightRunEnds() throws IOException {
        String[] args = {"--epochs", "3", "--schedule", "one_cycle", "--schedule-args", "max_lr=0.01,total=24", "--warmup", "5"};
        Path straight = dir.resolve("straight.tnn"), resumed = dir.resolve("resumed.tnn");
        Cli.Result s = Cli.run(train(concat(args, "--out", straight.toString())));
        assertEquals(0, s.code(), s::toString);
        Cli.Result r = CommandFlowTest.interruptedAt(3, train(concat(args, "--out", resumed.toString())));
        assertEquals(130, r.code(), r::toString);
        Cli.Result ok = Cli.run("train", "--resume", resumed.toString(), "--progress", "none", "--threads", "1");
        assertEquals(0, ok.code(), ok::toString);
        assertEquals(lastLr(s.out()), lastLr(ok.out()));
        Model a = Model.load(straight), b = Model.load(resumed);
        assertEquals(a.optimizer().lr(), b.optimizer().lr());
        for (var e : a.parameters().asMap().entrySet()) {
            var other = b.parameters().asMap().get(e.getKey());
            for (int k = 0; k < e.getValue().size(); k++) {
                assertEquals(Double.doubleToRawLongBits(e.getValue().get(k)), Double.doubleToRawLongBits(other.get(k)), e.getKey() + "[" + k + "]");
            }
        }

        Cli.Result again = Cli.run("train", "--resume", resumed.toString(), "--epochs", "4", "--schedule", "cosine");
        assertEquals(2, again.code(), again::toString);
        assertTrue(again.err().contains("--schedule and --warmup cannot change when resuming"), again::toString);
    }

    @Test void theSpecsTrainingBlockCarriesASchedule() throws IOException {
        Path spec = dir.resolve("sched.txtpb");
        Files.writeString(spec, """
                layers {
                  layers { type: "dense" attrs { key: "out" value { i: 16 } } }
                  layers { type: "relu" }
                  layers { type: "dense" attrs { key: "out" value { i: 10 } } }
                }
                training {
                  optimizer { type: "sgd" hyper { key: "lr" value: 0.1 } }
                  lr_schedule { type: "multi_step" milestones: 1 params { key: "gamma" value: 0.1 } }
                }
                """);
        Cli.Result t = Cli.run("train", "--arch", spec.toString(), "--epochs", "2", "--progress", "none", "--out", dir.resolve("spec.tnn").toString(),
                "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString());
        assertEquals(0, t.code(), t::toString);
        assertTrue(t.out().contains("schedule: multi_step milestones=1 gamma=0.1 per epoch, base lr 0.1"), t::toString);
        assertTrue(t.out().matches("(?s).*epoch 1/2 .*  lr 0\\.1  .*epoch 2/2 .*  lr 0\\.01  .*"), t::toString);
    }

    @Test void badSchedulesAreUsageErrors() {
        Cli.Result a = Cli.run(train("--schedule", "cosin"));
        assertEquals(2, a.code(), a::toString);
        assertTrue(a.err().contains("--schedule: unknown schedule 'cosin'; use constant, step,"), a::toString);
        Cli.Result b = Cli.run(train("--schedule", "cosine", "--schedule-args", "t_max=x"));
        assertTrue(b.err().contains("--schedule-args: t_max=x is not a number"), b::toString);
        Cli.Result c = Cli.run(train("--schedule-args", "t_max=3"));
        assertTrue(c.err().contains("--schedule-args needs --schedule"), c::toString);
    }

    static String lastLr(String out) {
        String[] lines = out.lines().filter(l -> l.startsWith("epoch ")).toArray(String[]::new);
        return lines[lines.length - 1].replaceAll(".*  lr (\\S+)  .*", "$1");
    }

    static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
