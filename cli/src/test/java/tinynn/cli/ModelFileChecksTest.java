package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Optimizers;
import tinynn.serialization.ModelFileReader;
import tinynn.serialization.ModelFileWriter;

/**
 * Every command reads a model file through one validation path: the same files are accepted and rejected by
 * inspect, predict and eval, errors name the file, and inspect says when a file has no training state.
 */
class ModelFileChecksTest {
    @TempDir static Path dir;
    static Path png;

    @BeforeAll static void image() throws IOException {
        png = dir.resolve("tiny.png");
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY), "png", png.toFile());
    }

    /** A 4-feature (2x2 image) classifier, trained one step so that it has optimizer slots. */
    static Path model(String name, Map<String, String> metadata) throws IOException {
        Model m = new Model(new Net(new Dense(4, 3), Activation.relu(), new Dense(3, 3)), Losses.softmaxCrossEntropy(),
                Optimizers.create("adam", Map.of()), new OjalgoBackend(), DType.F32, 1);
        m.trainStep(tinynn.runtime.Tensor.of(DType.F32, Shape.of(1, 4), 1, 2, 3, 4),
                tinynn.runtime.Tensor.of(DType.F32, Shape.of(1, 3), 0, 1, 0));
        m.metadata().putAll(metadata);
        Path file = dir.resolve(name);
        m.save(file);
        return file;
    }

    static void failsNamingTheFile(Cli.Result r, String command, Path file, String what) {
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.errLines(), r::toString);
        assertTrue(r.err().startsWith("tinynn " + command + ": " + file + ": "), r::toString);
        assertTrue(r.err().contains(what), r::toString);
    }

    @Test void aModelThatLoadsWorksEverywhere() throws IOException {
        Path ok = model("ok.tnn", Map.of());
        assertEquals(0, Cli.run("inspect", ok.toString()).code());
        Cli.Result p = Cli.run("predict", ok.toString(), png.toString());
        assertEquals(0, p.code(), p::toString);
    }

    @Test void rebuildErrorsNameTheModelFile() throws IOException {
        Path file = model("meta.tnn", Map.of("input_shape", "-1,9"));
        String what = "metadata 'input_shape' (-1,9) gives 9 input features but the model's layers take 4";
        failsNamingTheFile(Cli.run("inspect", file.toString()), "inspect", file, what);
        failsNamingTheFile(Cli.run("predict", file.toString(), png.toString()), "predict", file, what);
    }

    @Test void inspectSaysAWeightsOnlyFileHasNoTrainingState() throws IOException {
        Path full = model("full.tnn", Map.of());
        Path weights = dir.resolve("weights.tnn");
        ModelFileWriter.write(weights, ModelFileReader.read(full).toBuilder().clearTraining().build());
        Cli.Result w = Cli.run("inspect", weights.toString());
        assertEquals(0, w.code(), w::toString);
        assertTrue(w.out().contains("training   none: a weights-only file (no optimizer state or history; it cannot"
                + " resume training)"), w::toString);
        assertFalse(w.out().contains("epoch 0 done"), w::toString);
        Cli.Result f = Cli.run("inspect", full.toString());
        assertTrue(f.out().contains("training   epoch 0 done, 1 steps, optimizer adam"), f::toString);
    }

    @Test void aCorruptOptimizerSlotIsRejectedByEveryCommand() throws IOException {
        Path full = model("slots.tnn", Map.of());
        var b = ModelFileReader.read(full).toBuilder();
        b.getTrainingBuilder().getOptimizerBuilder().getSlotsBuilder(0).setSlot("q");
        Path bad = dir.resolve("bad-slot.tnn");
        ModelFileWriter.write(bad, b.build());
        String what = "adam has no slot 'q'";
        failsNamingTheFile(Cli.run("inspect", bad.toString()), "inspect", bad, what);
        failsNamingTheFile(Cli.run("predict", bad.toString(), png.toString()), "predict", bad, what);
        Cli.Result i = Cli.run("inspect", bad.toString());
        Cli.Result p = Cli.run("predict", bad.toString(), png.toString());
        assertEquals(i.err().replace("tinynn inspect: ", ""), p.err().replace("tinynn predict: ", ""));
    }

    @Test void aGraphThatDisagreesWithTheLayersIsRejectedByEveryCommand() throws IOException {
        Path full = model("graph.tnn", Map.of());
        var b = ModelFileReader.read(full).toBuilder();
        var g = b.getGraphBuilder();
        for (int i = 0; i < g.getNodesCount(); i++) {
            if (g.getNodes(i).getOp().equals("relu")) g.getNodesBuilder(i).setOp("sigmoid");
        }
        Path bad = dir.resolve("bad-graph.tnn");
        ModelFileWriter.write(bad, b.build());
        String what = "is op 'sigmoid' but the layers build op 'relu' there";
        failsNamingTheFile(Cli.run("inspect", bad.toString()), "inspect", bad, what);
        failsNamingTheFile(Cli.run("predict", bad.toString(), png.toString()), "predict", bad, what);
    }
}
