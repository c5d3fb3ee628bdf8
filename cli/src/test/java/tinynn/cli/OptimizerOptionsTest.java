package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --optimizer NAME, --clip-norm, --clip-value and the spec's training.optimizer hyper-parameters. */
class OptimizerOptionsTest {
    @TempDir static Path dir;
    static Fixtures fx;

    @BeforeAll static void fixtures() throws IOException {
        fx = Fixtures.write(dir, 300, 50);
    }

    static String[] train(String... more) {
        String[] base = {"train", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(),
                "--hidden", "16", "--progress", "none", "--threads", "1"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test void clippingIsRecordedAndKeptOnResume() {
        Path model = dir.resolve("nadam.tnn");
        Cli.Result t = Cli.run(train("--optimizer", "nadam", "--clip-norm", "1.5", "--clip-value", "0.25", "--epochs", "1",
                "--out", model.toString()));
        assertEquals(0, t.code(), t::toString);
        Cli.Result i = Cli.run("inspect", model.toString());
        assertTrue(i.out().contains("optimizer nadam lr=0.002") && i.out().contains("clip_norm=1.5") && i.out().contains("clip_value=0.25"),
                i::toString);
        Cli.Result r = Cli.run("train", "--resume", model.toString(), "--epochs", "2", "--progress", "none", "--threads", "1");
        assertEquals(0, r.code(), r::toString);
        Cli.Result i2 = Cli.run("inspect", model.toString());
        assertTrue(i2.out().contains("epoch 2 done") && i2.out().contains("clip_norm=1.5"), i2::toString);
    }

    @Test void everyOptimizerTrains() {
        for (String name : new String[] {"sgd", "rmsprop", "adagrad", "adadelta", "adam", "adamw", "nadam", "radam", "lion"}) {
            Path model = dir.resolve(name + ".tnn");
            Cli.Result t = Cli.run(train("--optimizer", name, "--epochs", "1", "--limit", "64", "--out", model.toString()));
            assertEquals(0, t.code(), t::toString);
            assertTrue(Cli.run("inspect", model.toString()).out().contains("optimizer " + name + " "), name);
        }
    }

    @Test void unknownNamesGiveOneLine() {
        Cli.Result u = Cli.run(train("--optimizer", "adamax"));
        assertEquals(2, u.code(), u::toString);
        assertTrue(u.err().contains("--optimizer: unknown optimizer 'adamax'; use sgd, rmsprop, adagrad, adadelta, adam, adamw, nadam, radam, lion"),
                u::toString);
    }

    @Test void specHyperParameters() throws IOException {
        Path spec = dir.resolve("rms.txtpb");
        Files.writeString(spec, """
                layers { layers { type: "dense" attrs { key: "out" value { i: 10 } } } }
                training { optimizer { type: "rmsprop" hyper { key: "centered" value: 1 } hyper { key: "momentum" value: 0.5 }
                                       hyper { key: "clip_norm" value: 2 } } }
                """);
        Path model = dir.resolve("rms.tnn");
        Cli.Result t = Cli.run("train", "--arch", spec.toString(), "--epochs", "1", "--progress", "none", "--out", model.toString(),
                "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(), "--threads", "1");
        assertEquals(0, t.code(), t::toString);
        Cli.Result i = Cli.run("inspect", model.toString());
        assertTrue(i.out().contains("optimizer rmsprop lr=0.01") && i.out().contains("centered=1") && i.out().contains("clip_norm=2"), i::toString);

        Path bad = dir.resolve("bad.txtpb");
        Files.writeString(bad, """
                layers { layers { type: "dense" attrs { key: "out" value { i: 10 } } } }
                training { optimizer { type: "lion" hyper { key: "rho" value: 0.9 } } }
                """);
        Cli.Result b = Cli.run("train", "--arch", bad.toString(), "--train-images", fx.trainImages.toString(),
                "--train-labels", fx.trainLabels.toString());
        assertEquals(1, b.err().lines().count(), b::toString);
        assertTrue(b.err().contains("optimizer lion has no hyper-parameter 'rho'"), b::toString);
    }
}
