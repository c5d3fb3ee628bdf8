package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.ops.loss.Loss;

/** The loss a model spec names (layers.loss, layers.loss_attrs) is the one trained, saved and shown. */
class LossSpecTest {
    @TempDir static Path dir;
    static Fixtures fx;

    @BeforeAll static void fixtures() throws IOException {
        fx = Fixtures.write(dir, 300, 100);
    }

    private static Path spec(String name, String loss) throws IOException {
        return Files.writeString(dir.resolve(name), """
                layers {
                  layers { type: "dense" attrs { key: "out" value { i: 10 } } }
                %s
                }
                """.formatted(loss));
    }

    @Test void theSpecNamesTheLossAndItsAttributes() throws IOException {
        Loss huber = Architectures.fromFile(spec("h.txtpb", "loss: \"huber\" loss_attrs { key: \"delta\" value { f: 0.5 } }")).loss();
        assertEquals("huber", huber.type());
        assertEquals(Map.of("delta", 0.5), huber.attrs());
        Loss ce = Architectures.fromFile(spec("ce.txtpb", """
                loss: "softmax_cross_entropy"
                loss_attrs { key: "weights" value { floats { values: [1, 1, 1, 1, 1, 2, 2, 2, 2, 2] } } }
                loss_attrs { key: "label_smoothing" value { f: 0.1 } }
                loss_attrs { key: "temperature" value { i: 2 } }""")).loss();
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 2, 2, 2, 2, 2}, (double[]) ce.attrs().get("weights"));
        assertEquals(0.1, ce.attrs().get("label_smoothing"));
        assertEquals(2.0, ce.attrs().get("temperature"));
        assertEquals("softmax_cross_entropy", Architectures.fromFile(spec("none.txtpb", "")).loss().type());
    }

    @Test void aBadLossIsOneLineNamingTheFile() throws IOException {
        Path unknown = spec("u.txtpb", "loss: \"hinge\"");
        Failure f = assertThrows(Failure.class, () -> Architectures.fromFile(unknown));
        assertTrue(f.getMessage().startsWith(unknown + ": unknown loss 'hinge'; use softmax_cross_entropy"), f.getMessage());
        Path attr = spec("a.txtpb", "loss: \"mse\" loss_attrs { key: \"delta\" value { f: 2 } }");
        f = assertThrows(Failure.class, () -> Architectures.fromFile(attr));
        assertEquals(attr + ": loss mse: unknown attribute 'delta'; it has none", f.getMessage());
    }

    @Test void trainingWithASpecsHuberDeltaSavesIt() throws IOException {
        Path spec = spec("train.txtpb", "loss: \"huber\" loss_attrs { key: \"delta\" value { f: 0.25 } }");
        Path model = dir.resolve("huber.tnn");
        Cli.Result t = Cli.run("train", "--arch", spec.toString(), "--epochs", "1", "--progress", "none", "--out", model.toString(),
                "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString());
        assertEquals(0, t.code(), t::toString);
        Cli.Result i = Cli.run("inspect", model.toString());
        assertTrue(i.out().contains("loss       huber delta=0.25\n"), i::toString);
    }
}
