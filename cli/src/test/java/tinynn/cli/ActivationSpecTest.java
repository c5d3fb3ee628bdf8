package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Layer;
import tinynn.runtime.model.Model;

/** Activations with attributes in an --arch spec file, and every registry name through --activation. */
class ActivationSpecTest {
    @TempDir static Path dir;
    static Fixtures fx;

    @BeforeAll static void fixtures() throws IOException {
        fx = Fixtures.write(dir, 200, 50);
    }

    private static List<Layer> activations(List<Layer> layers) { return layers.stream().filter(l -> l instanceof Activation).toList(); }

    @Test void specAttributesReachTheModelFile() throws IOException {
        Path spec = dir.resolve("acts.txtpb");
        Files.writeString(spec, """
                layers {
                  layers { type: "dense" attrs { key: "out" value { i: 12 } } }
                  layers { type: "prelu" attrs { key: "init" value { f: 0.2 } } }
                  layers { type: "gelu" attrs { key: "approximate" value { s: "tanh" } } }
                  layers { type: "elu" attrs { key: "alpha" value { f: 0.5 } } }
                  layers { type: "leaky_relu" attrs { key: "alpha" value { f: 0.1 } } }
                  layers { type: "softplus" attrs { key: "beta" value { i: 2 } } }
                  layers { type: "dense" attrs { key: "out" value { i: 10 } } }
                }
                """);
        Path out = dir.resolve("acts.tnn");
        Cli.Result t = Cli.run("train", "--arch", spec.toString(), "--epochs", "1", "--progress", "none", "--threads", "1",
                "--out", out.toString(), "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString());
        assertEquals(0, t.code(), t::toString);
        Model m = Model.load(out);
        assertEquals(List.of(new Activation("prelu", Map.of("init", 0.2)), new Activation("gelu", Map.of("approximate", "tanh")),
                new Activation("elu", Map.of("alpha", 0.5)), Activation.leakyRelu(0.1), new Activation("softplus", Map.of("beta", 2.0))),
                activations(m.net().layers()));
        assertTrue(m.parameters().asMap().containsKey("prelu1.slope"), m.parameters().asMap().keySet()::toString);
    }

    @Test void badAttributesNameTheFileAndLayer() throws IOException {
        Path spec = dir.resolve("typo.txtpb");
        Files.writeString(spec, """
                layers {
                  layers { type: "dense" attrs { key: "out" value { i: 12 } } }
                  layers { type: "gelu" attrs { key: "approximate" value { s: "sigmoid" } } }
                }
                """);
        Failure f = assertThrows(Failure.class, () -> Architectures.fromFile(spec));
        assertEquals(spec + ": layer 1 (gelu): gelu attribute 'approximate' must be \"none\" or \"tanh\", got sigmoid", f.getMessage());
        Files.writeString(spec, "layers { layers { type: \"elu\" attrs { key: \"aplha\" value { f: 1 } } } }");
        f = assertThrows(Failure.class, () -> Architectures.fromFile(spec));
        assertEquals(spec + ": layer 0 (elu): elu has no attribute 'aplha'; it takes alpha", f.getMessage());
    }

    @Test void everyRegisteredNameWorksAsActivationOption() {
        for (String name : Activation.names()) {
            assertEquals(Activation.of(name), Architectures.activation(name), name);
            Layer hidden = Architectures.mlp(6, List.of(4), name, 3).layers().get(1);
            assertEquals(name, hidden.type());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architectures.activation("swishh"));
        assertTrue(e.getMessage().endsWith("use " + String.join(", ", Activation.names())), e.getMessage());
        Cli.Result help = Cli.run("train", "--help");
        for (String name : Activation.names()) assertTrue(help.out().contains(name), () -> name + " missing from --help:\n" + help.out());
    }

    @Test void trainsAnMlpWithGelu() throws IOException {
        Cli.Result t = Cli.run("train", "--activation", "gelu", "--hidden", "16", "--epochs", "1", "--progress", "none", "--threads", "1",
                "--out", dir.resolve("gelu.tnn").toString(), "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString());
        assertEquals(0, t.code(), t::toString);
        assertEquals(Activation.of("gelu"), Model.load(dir.resolve("gelu.tnn")).net().layers().get(1));
    }
}
