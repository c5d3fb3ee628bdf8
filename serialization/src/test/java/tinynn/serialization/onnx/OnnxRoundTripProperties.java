package tinynn.serialization.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static tinynn.serialization.onnx.OnnxAgreement.layer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import tinynn.graph.Shape;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Layer;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;

/** Export → import gives back a model with bit-identical outputs, for random MLPs, CNNs and recurrent nets. */
class OnnxRoundTripProperties {

    static void roundTrip(Model m, Shape shape, float[] x) {
        float[] ours = m.predict(Tensor.wrap(shape, x.clone())).f32().clone();
        byte[] onnx = OnnxExporter.export(m, "test model").toByteArray();
        Model back = OnnxImporter.fromBytes(onnx, "exported.onnx", tinynn.runtime.Backends.createDefault());
        assertArrayEquals(ours, back.predict(Tensor.wrap(shape, x.clone())).f32(), "layers " + m.net().names() + " imported as " + back.net().names());
    }

    @Property(tries = 40)
    void randomMlps(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int features = r.nextInt(1, 6);
        List<Layer> layers = new ArrayList<>();
        // Sub and Div of scalars, as standardize exports and PyTorch's Normalize does: imported back as standardize.
        if (r.nextInt(3) == 0) layers.add(layer("standardize", "mean", r.nextDouble(-1, 1), "std", r.nextDouble(0.05, 3)));
        for (int i = 0, depth = r.nextInt(1, 4); i < depth; i++) {
            layers.add(new Dense(-1, r.nextInt(1, 6)));
            layers.add(switch (r.nextInt(17)) {
                case 16 -> layer("gelu", "approximate", "tanh");
                case 0 -> layer("leaky_relu", "alpha", 0.2);
                case 1 -> layer("elu", "alpha", 0.7);
                case 2 -> layer("gelu");
                case 3 -> layer("silu");
                case 4 -> layer("mish");
                case 5 -> layer("softplus", "beta", 2.0);
                case 6 -> layer("prelu");
                case 7 -> layer("selu");
                case 8 -> layer("hard_sigmoid");
                case 9 -> layer("sigmoid");
                case 10 -> layer("tanh");
                case 11 -> layer("batch_norm", "eps", 1e-3);
                case 12 -> layer("layer_norm");
                case 13 -> layer("dropout", "rate", 0.3);
                case 14 -> layer("softplus");
                default -> layer("relu");
            });
        }
        if (r.nextBoolean()) layers.add(layer(r.nextBoolean() ? "softmax" : "log_softmax"));
        Shape shape = Shape.of(r.nextInt(1, 4), features);
        Model m = OnnxAgreement.model(layers, shape, r);
        roundTrip(m, shape, OnnxAgreement.input(shape, r, 0));
    }

    @Property(tries = 30)
    void randomCnns(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int c = r.nextInt(1, 3), size = r.nextInt(5, 9);
        List<Layer> layers = new ArrayList<>();
        layers.add(layer("conv2d", "out", (long) r.nextInt(1, 4), "kernel", (long) r.nextInt(1, 4), "padding", r.nextBoolean() ? "same" : "valid",
                "stride", (long) r.nextInt(1, 3), "bias", r.nextBoolean()));
        if (r.nextBoolean()) layers.add(layer("batch_norm"));
        layers.add(layer(r.nextBoolean() ? "relu" : "gelu"));
        if (r.nextBoolean()) layers.add(layer("max_pool2d", "kernel", 2L, "stride", 1L));
        else layers.add(layer("avg_pool2d", "kernel", 2L, "stride", 1L, "padding", 1L, "count_include_pad", r.nextBoolean()));
        if (r.nextBoolean()) layers.add(layer("conv_transpose2d", "out", 2L, "kernel", 3L, "stride", 2L, "padding", List.of(1L, 1L, 1L, 1L), "output_padding", List.of(1L, 1L)));
        layers.add(r.nextBoolean() ? layer("global_avg_pool2d") : layer("flatten"));
        layers.add(new Dense(-1, r.nextInt(1, 5)));
        Shape shape = Shape.of(r.nextInt(1, 3), c, size, size);
        Model m = OnnxAgreement.model(layers, shape, r);
        roundTrip(m, shape, OnnxAgreement.input(shape, r, 0));
    }

    @Property(tries = 30)
    void randomRecurrentNets(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        OnnxAgreement.RandomNet net = OnnxAgreement.randomRecurrentNet(r, true);
        Model m = OnnxAgreement.model(net.layers(), net.shape(), r);
        roundTrip(m, net.shape(), OnnxAgreement.input(net.shape(), r, net.vocab()));
    }
}
