package tinynn.ops.nn;

import java.util.Map;
import tinynn.graph.Node;
import tinynn.ops.Ops;
import tinynn.ops.PoolWindow;

/**
 * Average pooling over NCHW images (PyTorch's AvgPool2d in floor mode): kernel, stride (default: the kernel),
 * padding, count_include_pad (default true: padding counts as zeros in each window's divisor).
 */
public record AvgPool2dLayer(PoolWindow window, boolean countIncludePad) implements Layer {

    public AvgPool2dLayer(int kernel) { this(PoolWindow.of(kernel), true); }

    public static AvgPool2dLayer of(Map<String, Object> attrs) {
        return new AvgPool2dLayer(PoolAttrs.window("avg_pool2d", attrs, "count_include_pad"), Attrs.bool(attrs, "count_include_pad", true));
    }

    public String type() { return "avg_pool2d"; }

    public Node build(Node x, String name) {
        return x.graph().scoped(name, () -> Ops.avgPool2d(x, window, countIncludePad));
    }

    public Map<String, Object> attrs() {
        Map<String, Object> a = PoolAttrs.attrs(window);
        a.put("count_include_pad", countIncludePad);
        return a;
    }
}
