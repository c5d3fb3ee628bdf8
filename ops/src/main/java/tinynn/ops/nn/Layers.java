package tinynn.ops.nn;

import java.util.Map;

/** Rebuilds layers from their type and attributes, the inverse of {@link Layer#attrs()}. */
public final class Layers {
    private Layers() {}

    public static Layer create(String type, Map<String, Object> attrs) {
        return switch (type) {
            case "dense" -> Dense.of(attrs);
            case "flatten" -> {
                Attrs.only(type, attrs);
                yield new Flatten();
            }
            case "reshape" -> new ReshapeLayer(Attrs.ints(Attrs.only(type, attrs, "shape"), "shape", null));
            case "conv2d" -> Conv2dLayer.of(attrs);
            case "conv_transpose2d" -> ConvTranspose2dLayer.of(attrs);
            case "max_pool2d" -> MaxPool2dLayer.of(attrs);
            case "avg_pool2d" -> AvgPool2dLayer.of(attrs);
            case "global_avg_pool2d" -> GlobalAvgPool2dLayer.of(attrs);
            case "batch_norm" -> new BatchNorm(Attrs.real(Attrs.only(type, attrs, "momentum", "eps"), "momentum", BatchNorm.DEFAULT_MOMENTUM),
                    Attrs.real(attrs, "eps", BatchNorm.DEFAULT_EPS));
            case "layer_norm" -> new LayerNorm(Attrs.real(Attrs.only(type, attrs, "eps", "dims"), "eps", LayerNorm.DEFAULT_EPS),
                    Attrs.integer(attrs, "dims", 0));
            case "dropout" -> new Dropout(Attrs.real(Attrs.only(type, attrs, "rate"), "rate", Dropout.DEFAULT_RATE));
            case "embedding" -> Embedding.of(attrs);
            case "standardize" -> Standardize.of(attrs);
            case "rnn", "lstm", "gru" -> Recurrent.of(type, attrs);
            default -> {
                if (!Activation.names().contains(type)) {
                    throw new IllegalArgumentException("unknown layer type '" + type + "'; known: dense, "
                            + String.join(", ", Activation.names()) + ", flatten, reshape, conv2d, conv_transpose2d, max_pool2d, avg_pool2d, global_avg_pool2d, batch_norm, layer_norm, dropout, standardize, embedding, rnn, lstm, gru");
                }
                yield new Activation(type, attrs);
            }
        };
    }

    /**
     * The rank of input a network of these layers takes: 4 ([N, C, H, W]) when the first layer that cares
     * is spatial, 3 ([N, T, F]) when it is recurrent, else 2 ([N, features], or token ids [N, T] for embedding). Layers that take any rank (activations, batch_norm, layer_norm,
     * dropout, standardize, flatten) leave the decision to the next one; reshape and dense take flat examples.
     */
    public static int inputRank(java.util.List<Layer> layers) {
        for (Layer l : layers) {
            switch (l.type()) {
                case "conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d", "global_avg_pool2d" -> { return 4; }
                case "dense", "reshape" -> { return 2; }
                case "embedding" -> { return 2; }
                case "rnn", "lstm", "gru" -> { return 3; }
                default -> { }
            }
        }
        return 2;
    }
}
