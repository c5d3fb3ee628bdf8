package tinynn.ops.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Initializer;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.ConvGeometry;
import tinynn.ops.Ops;
import tinynn.ops.init.Initializers;

/**
 * 2-D convolution layer on NCHW images: y = conv2d(x, w) + b with w "<name>.w" [out, in/groups, kh, kw] (OIHW,
 * PyTorch's layout) and, when {@code bias}, b "<name>.b" [1, out, 1, 1], so the bias is a plain broadcast add
 * (PyTorch stores it as [out]; the values are the same). Input channels come from the previous layer.
 * groups = in channels (and out a multiple of it) is a depthwise convolution.
 */
public record Conv2dLayer(int out, int kernelH, int kernelW, int strideH, int strideW, ConvPadding padding,
                          int dilationH, int dilationW, int groups, boolean bias, Initializer wInit, Initializer bInit) implements Layer {

    public Conv2dLayer {
        if (out < 1) throw new IllegalArgumentException("conv2d: out must be at least 1, got " + out);
        if (kernelH < 1 || kernelW < 1) throw new IllegalArgumentException("conv2d: kernel must be at least 1, got [" + kernelH + ", " + kernelW + "]");
        if (strideH < 1 || strideW < 1) throw new IllegalArgumentException("conv2d: stride must be at least 1, got [" + strideH + ", " + strideW + "]");
        if (dilationH < 1 || dilationW < 1) throw new IllegalArgumentException("conv2d: dilation must be at least 1, got [" + dilationH + ", " + dilationW + "]");
        if (groups < 1) throw new IllegalArgumentException("conv2d: groups must be at least 1, got " + groups);
        if (out % groups != 0) throw new IllegalArgumentException("conv2d: out = " + out + " does not split into groups=" + groups + "; make out a multiple of groups");
    }

    /**
     * The defaults: Xavier/Glorot-uniform weights (Keras's Conv2D default and this project's Dense one, so swapping
     * a Dense for a conv keeps the init a Keras user expects; PyTorch's own, kaiming_uniform(a=√5), is the narrower
     * U(±1/√fan_in)) and zero bias.
     */
    public static final Initializer DEFAULT_W_INIT = Initializers.xavierUniform();

    /** out k×k filters, stride 1, no padding, bias, default initializers. */
    public Conv2dLayer(int out, int kernel) { this(out, kernel, 1, ConvPadding.VALID); }

    public Conv2dLayer(int out, int kernel, int stride, ConvPadding padding) {
        this(out, kernel, kernel, stride, stride, padding, 1, 1, 1, true, DEFAULT_W_INIT, Initializers.zeros());
    }

    public String type() { return "conv2d"; }

    public Node build(Node x, String name) {
        Shape s = x.shape();
        if (s.rank() != 4) {
            throw new GraphException("layer '" + name + "': conv2d needs [batch, channels, height, width] input, got " + s
                    + "; add a reshape layer (e.g. shape [-1, 1, 28, 28]) first");
        }
        int c = s.dim(1);
        if (c % groups != 0) {
            throw new GraphException("layer '" + name + "': the input's " + c + " channels do not split into groups=" + groups
                    + "; use a groups value that divides " + c);
        }
        int[] pad = padding.resolve(s.dim(2), s.dim(3), kernelH, kernelW, strideH, strideW, dilationH, dilationW);
        ConvGeometry geo = new ConvGeometry(strideH, strideW, pad[0], pad[1], pad[2], pad[3], dilationH, dilationW, groups);
        var g = x.graph();
        Node w = g.parameter(name + ".w", x.dtype(), Shape.of(out, c / groups, kernelH, kernelW), wInit);
        Node b = bias ? g.parameter(name + ".b", x.dtype(), Shape.of(1, out, 1, 1), bInit) : null;
        return g.scoped(name, () -> {
            Node y = Ops.conv2d(x, w, geo);
            return b == null ? y : Ops.add(y, b);
        });
    }

    public Map<String, Object> attrs() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("out", out);
        a.put("kernel", List.of(kernelH, kernelW));
        a.put("stride", List.of(strideH, strideW));
        a.put("padding", padding.attr());
        a.put("dilation", List.of(dilationH, dilationW));
        a.put("groups", groups);
        a.put("bias", bias);
        a.put("w_init", wInit.describe());
        a.put("b_init", bInit.describe());
        return a;
    }

    /** The layer an attribute map describes; see {@link Layers#create}. "b" is bias's short form and "init" w_init's. */
    static Conv2dLayer of(Map<String, Object> attrs) {
        Attrs.only("conv2d", attrs, "out", "kernel", "stride", "padding", "dilation", "groups", "bias", "b", "w_init", "init", "init_gain", "init_mode", "b_init");
        int[] k = required(attrs, "conv2d", "kernel"), st = Attrs.pair(attrs, "stride", new int[] {1, 1}), d = Attrs.pair(attrs, "dilation", new int[] {1, 1});
        return new Conv2dLayer(outChannels(attrs, "conv2d"), k[0], k[1], st[0], st[1], ConvPadding.parse(attrs, "padding", ConvPadding.VALID),
                d[0], d[1], Attrs.integer(attrs, "groups", 1), bias(attrs), weightInit(attrs, DEFAULT_W_INIT), biasInit(attrs));
    }

    static int outChannels(Map<String, Object> attrs, String type) {
        if (!attrs.containsKey("out")) throw new IllegalArgumentException(type + " needs attribute 'out' (i: the number of output channels)");
        return Attrs.integer(attrs, "out", 0);
    }

    static int[] required(Map<String, Object> attrs, String type, String key) {
        int[] v = Attrs.pair(attrs, key, null);
        if (v == null) throw new IllegalArgumentException(type + " needs attribute '" + key + "' (i, or ints [h, w])");
        return v;
    }

    /** "bias" or its short form "b", default true. */
    static boolean bias(Map<String, Object> attrs) {
        return attrs.containsKey("bias") ? Attrs.bool(attrs, "bias", true) : Attrs.bool(attrs, "b", true);
    }

    /** w_init (or the spec's "init"), with init_gain and init_mode as for dense. */
    static Initializer weightInit(Map<String, Object> attrs, Initializer dflt) {
        String name = Attrs.string(attrs, "w_init", Attrs.string(attrs, "init", null));
        boolean tuned = attrs.containsKey("init_gain") || attrs.containsKey("init_mode");
        if (name == null && !tuned) return dflt;
        return Initializers.byName(name == null ? dflt.describe() : name, Attrs.real(attrs, "init_gain", Double.NaN), Attrs.string(attrs, "init_mode", null));
    }

    static Initializer biasInit(Map<String, Object> attrs) { return Initializers.byName(Attrs.string(attrs, "b_init", "zeros")); }
}
