package tinynn.serialization.onnx;

import static tinynn.serialization.onnx.OnnxAgreement.layer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import tinynn.graph.Shape;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Layer;
import tinynn.runtime.model.Model;

/**
 * Random networks exported to ONNX and run in ONNX Runtime give tinynn's outputs (float32, within 1e-5 relative):
 * MLPs of every activation with batch_norm, layer_norm and dropout; CNNs of conv2d (strides, paddings, dilations,
 * groups), conv_transpose2d, pooling, batch_norm and layer_norm, from images or from rows through a reshape layer; recurrent stacks of every cell, both directions, with and without
 * return_sequences, after an embedding or not.
 */
class OnnxExportProperties {

    private static final List<String> ACTIVATIONS = List.copyOf(Activation.names());

    private static Layer activation(SplittableRandom r) {
        String a = ACTIVATIONS.get(r.nextInt(ACTIVATIONS.size()));
        return switch (a) {
            case "leaky_relu", "elu" -> layer(a, "alpha", r.nextDouble(0.05, 1.5));
            case "softplus" -> layer(a, "beta", r.nextBoolean() ? 1.0 : r.nextDouble(0.5, 3));
            case "gelu" -> layer(a, "approximate", r.nextBoolean() ? "none" : "tanh");
            default -> Activation.of(a);
        };
    }

    @Property(tries = 40)
    void randomMlpsRunInOnnxRuntimeAsInTinynn(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int features = r.nextInt(1, 9), batch = r.nextInt(1, 5);
        List<Layer> layers = new ArrayList<>();
        int depth = r.nextInt(1, 4);
        for (int i = 0; i < depth; i++) {
            layers.add(new Dense(-1, r.nextInt(1, 9)));
            switch (r.nextInt(5)) {
                case 0 -> layers.add(layer("batch_norm", "eps", 1e-3));
                case 1 -> layers.add(layer("layer_norm"));
                case 2 -> layers.add(layer("dropout", "rate", 0.3));
                default -> { }
            }
            layers.add(activation(r));
        }
        if (r.nextBoolean()) layers.add(new Dense(-1, r.nextInt(1, 5)));
        Shape shape = Shape.of(batch, features);
        Model m = OnnxAgreement.model(layers, shape, r);
        OnnxAgreement.check(m, shape, OnnxAgreement.input(shape, r, 0));
    }

    @Property(tries = 40)
    void randomCnnsRunInOnnxRuntimeAsInTinynn(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int c = r.nextInt(1, 4), h = r.nextInt(5, 10), w = r.nextInt(5, 10), batch = r.nextInt(1, 4);
        List<Layer> layers = new ArrayList<>();
        boolean flatInput = r.nextInt(3) == 0; // [N, C·H·W] rows turned into images by a reshape layer, as for MNIST
        if (flatInput) layers.add(layer("reshape", "shape", List.of((long) c, (long) h, -1L)));
        int channels = c;
        for (int i = 0, depth = r.nextInt(1, 3); i < depth; i++) {
            int k = r.nextInt(1, 4), stride = r.nextInt(1, 3), dil = r.nextInt(1, 3);
            boolean depthwise = r.nextInt(3) == 0;
            int out = depthwise ? channels * r.nextInt(1, 3) : r.nextInt(1, 5);
            Object padding = switch (r.nextInt(3)) {
                case 0 -> "same";
                case 1 -> "valid";
                default -> List.of((long) r.nextInt(0, 3), (long) r.nextInt(0, 3), (long) r.nextInt(0, 3), (long) r.nextInt(0, 3));
            };
            if ("valid".equals(padding) && dil * (k - 1) + 1 > Math.min(h, w)) padding = "same";
            layers.add(layer("conv2d", "out", (long) out, "kernel", List.of((long) k, (long) k), "stride", List.of((long) stride, (long) stride),
                    "padding", padding, "dilation", List.of((long) dil, (long) dil), "groups", (long) (depthwise ? channels : 1), "bias", r.nextBoolean()));
            channels = out;
            switch (r.nextInt(3)) {
                case 0 -> layers.add(layer("batch_norm"));
                case 1 -> layers.add(layer("layer_norm", "eps", 1e-4));
                default -> { }
            }
            layers.add(activation(r));
            if (r.nextBoolean()) {
                int pk = r.nextInt(1, 3);
                Object pad = List.of((long) r.nextInt(0, pk / 2 + 1), (long) r.nextInt(0, pk / 2 + 1));
                layers.add(r.nextBoolean() ? layer("max_pool2d", "kernel", (long) pk, "stride", (long) r.nextInt(1, 3), "padding", pad)
                        : layer("avg_pool2d", "kernel", (long) pk, "stride", (long) r.nextInt(1, 3), "padding", pad, "count_include_pad", r.nextBoolean()));
            }
        }
        if (r.nextBoolean()) {
            int k = r.nextInt(1, 4), stride = r.nextInt(1, 3);
            boolean same = r.nextBoolean();
            layers.add(layer("conv_transpose2d", "out", (long) r.nextInt(1, 4), "kernel", (long) k, "stride", (long) stride,
                    "padding", same ? "same" : List.of((long) r.nextInt(0, 2), (long) r.nextInt(0, 2), 0L, 0L),
                    "output_padding", (long) (same ? 0 : r.nextInt(0, stride)), "dilation", (long) r.nextInt(1, 3)));
        }
        if (r.nextBoolean()) {
            layers.add(layer("global_avg_pool2d"));
        } else {
            layers.add(layer("flatten"));
            layers.add(new Dense(-1, r.nextInt(1, 6)));
        }
        Shape shape = flatInput ? Shape.of(batch, c * h * w) : Shape.of(batch, c, h, w);
        Model m;
        try {
            m = OnnxAgreement.model(layers, shape, r);
        } catch (RuntimeException tooSmall) {
            // The random stack shrank the image below a kernel: not a case the export is about.
            net.jqwik.api.Assume.that(false);
            return;
        }
        OnnxAgreement.check(m, shape, OnnxAgreement.input(shape, r, 0));
    }

    @Property(tries = 40)
    void randomRecurrentNetsRunInOnnxRuntimeAsInTinynn(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        OnnxAgreement.RandomNet net = OnnxAgreement.randomRecurrentNet(r, true);
        Model m = OnnxAgreement.model(net.layers(), net.shape(), r);
        OnnxAgreement.check(m, net.shape(), OnnxAgreement.input(net.shape(), r, net.vocab()));
    }
}
