package tinynn.ops.nn;

import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.ops.Ops;

/** [N, C, H, W] → [N, C], each channel's mean: Keras' GlobalAveragePooling2D (PyTorch: AdaptiveAvgPool2d(1) + flatten). */
public record GlobalAvgPool2dLayer() implements Layer {

    public static GlobalAvgPool2dLayer of(java.util.Map<String, Object> attrs) {
        Attrs.only("global_avg_pool2d", attrs);
        return new GlobalAvgPool2dLayer();
    }

    public String type() { return "global_avg_pool2d"; }

    public Node build(Node x, String name) {
        if (x.shape().rank() != 4) {
            throw new GraphException("layer '" + name + "': global_avg_pool2d needs NCHW input [batch, channels, height, width], got " + x.shape());
        }
        return x.graph().scoped(name, () -> Ops.globalAvgPool2d(x));
    }
}
