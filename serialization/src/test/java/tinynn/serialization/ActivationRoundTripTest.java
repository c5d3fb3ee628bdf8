package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Layer;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.serialization.proto.AttrValue;

/** A trained net with every activation, attributes away from their defaults, saved and loaded: same layers, same numbers. */
class ActivationRoundTripTest {

    private static List<String> types() {
        List<String> types = new ArrayList<>(Activation.names());
        types.remove("prelu");
        types.addFirst("prelu");
        types.remove("relu");
        types.add(types.indexOf("softmax") + 1, "relu");
        return types;
    }

    /** Every registered activation once, some with non-default attributes; prelu first and relu only after softmax (whose outputs are positive), so prelu's slope gets a gradient. */
    private static Net everyActivation() {
        List<Layer> layers = new ArrayList<>(List.of(new Dense(4, 6)));
        for (String type : types()) {
            layers.add(switch (type) {
                case "leaky_relu" -> Activation.leakyRelu(0.2);
                case "prelu" -> new Activation("prelu", Map.of("init", 0.1));
                case "elu" -> new Activation("elu", Map.of("alpha", 0.5));
                case "softplus" -> new Activation("softplus", Map.of("beta", 2.0));
                case "gelu" -> new Activation("gelu", Map.of("approximate", "tanh"));
                default -> Activation.of(type);
            });
        }
        layers.add(Activation.of("gelu"));
        layers.add(new Dense(6, 3));
        return new Net(layers);
    }

    private static List<Layer> activations(Model m) { return m.net().layers().stream().filter(l -> l instanceof Activation).toList(); }

    @Test
    void everyActivationKeepsItsAttributesAndNumbers(@TempDir Path dir) throws Exception {
        Model model = new Model(everyActivation(), Losses.softmaxCrossEntropy(), new Adam(0.05), new OjalgoBackend(), DType.F64, 5);
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 3; i++) {
            model.trainStep(RealModels.random(DType.F64, Shape.of(8, 4), r), RealModels.oneHot(DType.F64, 8, 3, r));
        }
        Path file = dir.resolve("activations.tnn");
        model.save(file);
        Model loaded = Model.load(file, new OjalgoBackend());

        // Dense layers' initializers have no equality; the activations are records of type and attributes.
        assertEquals(activations(model), activations(loaded));
        assertEquals(Activation.names().size() + 1, activations(loaded).size());
        assertEquals(new Activation("elu", Map.of("alpha", 0.5)), activations(loaded).get(types().indexOf("elu")));
        String slope = model.net().names().get(1) + ".slope";
        assertNotEquals(0.1, model.parameters().get(slope).get(0), () -> "the prelu slope trained: " + model.parameters().asMap().keySet() + " " + model.parameters().get(slope));
        RealModels.assertBitIdentical(model.parameters().asMap(), loaded.parameters().asMap(), "parameter");
        var x = RealModels.random(DType.F64, Shape.of(5, 4), r);
        RealModels.assertBitIdentical(model.forward(x).copy(), loaded.forward(x), "output");
        RealModels.assertSameState(model, loaded);
    }

    /** Files written before leaky_relu's attribute was called alpha hold "slope"; they load as before. */
    @Test
    void leakyReluSlopeOfOlderFiles() {
        Model model = new Model(new Net(new Dense(3, 4), Activation.leakyRelu(0.3), new Dense(4, 2)), Losses.mse(),
                new Adam(0.01), new OjalgoBackend(), DType.F64, 1);
        var file = ModelWriter.toProto(model, false).toBuilder();
        var layer = file.getLayersBuilder().getLayersBuilder(1);
        assertEquals(AttrValue.newBuilder().setF(0.3).build(), layer.getAttrsOrThrow("alpha"));
        layer.removeAttrs("alpha").putAttrs("slope", AttrValue.newBuilder().setF(0.3).build());
        Model loaded = ModelReader.fromProto(file.build(), "old.tnn", new OjalgoBackend());
        assertEquals(Activation.leakyRelu(0.3), loaded.net().layers().get(1));
    }
}
