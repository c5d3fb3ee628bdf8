package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Flatten;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.SGD;

/**
 * A file saved from a real Model is readable without our Java code: the stock protoc (from Maven Central)
 * decodes it with nothing but the shipped model.proto, and the decoded text has the architecture, the
 * parameters, the training state and the metadata.
 */
class ModelPortabilityTest {

    private static String decode(Path file, Path dir) throws Exception {
        return new String(ProtocPortabilityTest.runProtoc(file, dir, "--decode=" + ModelFormat.MESSAGE_NAME,
                "-I", ProtocPortabilityTest.protoDir().toString(), ModelFormat.PROTO_RESOURCE), StandardCharsets.UTF_8);
    }

    private static void assertFinds(String regex, String text) {
        assertTrue(Pattern.compile(regex).matcher(text).find(), () -> "expected /" + regex + "/ in:\n" + text);
    }

    @Test
    void protocDecodesASavedClassifier(@TempDir Path dir) throws Exception {
        Model model = RealModels.trainedClassifier(DType.F32, 7);
        Path file = dir.resolve("classifier.tnn");
        model.save(file);
        String text = decode(file, dir);
        Files.writeString(dir.resolve("classifier.txt"), text);

        assertFinds("magic: \"tinynn.model\"", text);
        assertFinds("producer: \"tinynn-java ", text);
        // Architecture as a graph: the input placeholder with an open batch dim, the dense layers' ops.
        // (proto3 omits zero values: node id 0 and node_id 0 do not appear)
        assertFinds("nodes \\{\\s+name: \"input\"\\s+op: \"placeholder\"\\s+shape \\{\\s+dims: -1\\s+dims: 4\\s+}",
                text);
        assertFinds("op: \"matmul\"", text);
        assertFinds("op: \"relu\"", text);
        assertFinds("name: \"dense0.w\"\\s+op: \"parameter\"", text);
        assertFinds("op: \"softmax_cross_entropy\"", text);
        assertFinds("inputs \\{\\s+role: \"input\"\\s+}", text);
        assertFinds("outputs \\{\\s+role: \"logits\"", text);
        // ... and as layers.
        assertFinds("layers \\{\\s+type: \"dense\"\\s+name: \"dense0\"", text);
        assertFinds("key: \"out\"\\s+value \\{\\s+i: 5\\s+}", text);
        assertFinds("params: \"dense0.w\"\\s+params: \"dense0.b\"", text);
        assertFinds("type: \"relu\"\\s+name: \"relu1\"", text);
        assertFinds("loss: \"softmax_cross_entropy\"\\s+dtype: F32", text);
        // Parameters with shape and dtype.
        assertFinds("parameters \\{\\s+name: \"dense0.w\"\\s+shape \\{\\s+dims: 4\\s+dims: 5\\s+}\\s+dtype: F32\\s+data: ", text);
        assertFinds("parameters \\{\\s+name: \"dense2.b\"\\s+shape \\{\\s+dims: 1\\s+dims: 3\\s+}", text);
        // Training state.
        assertFinds("optimizer \\{\\s+type: \"adam\"", text);
        assertFinds("key: \"beta2\"\\s+value: 0.999", text);
        assertFinds("slots \\{\\s+param: \"dense0.w\"\\s+slot: \"m\"", text);
        assertFinds("step: 3", text);
        assertFinds("epoch: 1\\s+global_step: 3\\s+rng \\{\\s+seed: 7\\s+}", text);
        assertFinds("history \\{\\s+train_loss: [0-9.e-]+\\s+test_accuracy: 0.5\\s+seconds: 0.25\\s+}", text);
        // Metadata.
        assertFinds("metadata \\{\\s+key: \"class_labels\"\\s+value: \"a,b,c\"\\s+}", text);
        assertFinds("metadata \\{\\s+key: \"dataset\"\\s+value: \"toy\"\\s+}", text);
    }

    @Test
    void batchDependentShapesAndLossesAreStoredPortably(@TempDir Path dir) throws Exception {
        Model model = new Model(new Net(new Flatten(), new Dense(6, 2), Activation.leakyRelu(0.1)), Losses.mse(),
                new SGD(0.1, 0.9, 0), new OjalgoBackend(), DType.F64, 3);
        SplittableRandom r = new SplittableRandom(3);
        model.trainStep(RealModels.random(DType.F64, Shape.of(5, 2, 3), r), RealModels.random(DType.F64, Shape.of(5, 2), r));
        Path file = dir.resolve("flat.tnn");
        model.saveWeights(file);
        String text = decode(file, dir);

        assertFinds("shape \\{\\s+dims: -1\\s+dims: 2\\s+dims: 3\\s+}\\s+dtype: F64", text);
        // flatten = reshape to [-1, 6]
        assertFinds("op: \"reshape\"(.|\\n)*?key: \"shape\"\\s+value \\{\\s+ints \\{\\s+values: -1\\s+values: 6\\s+}", text);
        // leaky_relu in primitives
        assertFinds("op: \"where\"", text);
        assertFinds("op: \"step\"", text);
        // mse divides by the batch size: stored as one tinynn.loss node
        assertFinds("op: \"tinynn.loss\"(.|\\n)*?key: \"type\"\\s+value \\{\\s+s: \"mse\"\\s+}", text);
        assertFinds("loss: \"mse\"\\s+dtype: F64", text);
        assertTrue(!text.contains("training {"), "weights-only file has no training state:\n" + text);
    }
}
