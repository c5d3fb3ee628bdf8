package tinynn.ops.nn;

import java.util.Map;
import tinynn.graph.Node;
import tinynn.ops.Ops;
import tinynn.ops.PoolWindow;

/** Max pooling over NCHW images (PyTorch's MaxPool2d in floor mode): kernel, stride (default: the kernel), padding (−∞). */
public record MaxPool2dLayer(PoolWindow window) implements Layer {

    /** kernel×kernel windows moving by their size: MaxPool2d(kernel). */
    public MaxPool2dLayer(int kernel) { this(PoolWindow.of(kernel)); }

    public static MaxPool2dLayer of(Map<String, Object> attrs) { return new MaxPool2dLayer(PoolAttrs.window("max_pool2d", attrs)); }

    public String type() { return "max_pool2d"; }

    public Node build(Node x, String name) {
        return x.graph().scoped(name, () -> Ops.maxPool2d(x, window));
    }

    public Map<String, Object> attrs() { return PoolAttrs.attrs(window); }
}
