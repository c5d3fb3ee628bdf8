package tinynn.ops.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Initializer;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.ConvGeometry;
import tinynn.ops.ConvTranspose2d;
import tinynn.ops.Ops;

/**
 * Transposed 2-D convolution (PyTorch's ConvTranspose2d): the gradient of a conv2d with respect to its input,
 * used as a layer that upsamples. w "<name>.w" is [in, out/groups, kh, kw] (PyTorch's layout: the weight of
 * the conv2d it transposes) and b "<name>.b" [1, out, 1, 1]. Output size per axis:
 * (in − 1)·stride − pad_before − pad_after + dilation·(k − 1) + output_padding + 1, with output_padding smaller
 * than the stride. "same" padding gives in·stride, the transpose of a "same" conv2d over that size.
 */
public record ConvTranspose2dLayer(int out, int kernelH, int kernelW, int strideH, int strideW, ConvPadding padding,
                                   int outputPaddingH, int outputPaddingW, int dilationH, int dilationW, int groups, boolean bias,
                                   Initializer wInit, Initializer bInit) implements Layer {

    public ConvTranspose2dLayer {
        if (out < 1) throw new IllegalArgumentException("conv_transpose2d: out must be at least 1, got " + out);
        if (kernelH < 1 || kernelW < 1) throw new IllegalArgumentException("conv_transpose2d: kernel must be at least 1, got [" + kernelH + ", " + kernelW + "]");
        if (strideH < 1 || strideW < 1) throw new IllegalArgumentException("conv_transpose2d: stride must be at least 1, got [" + strideH + ", " + strideW + "]");
        if (dilationH < 1 || dilationW < 1) throw new IllegalArgumentException("conv_transpose2d: dilation must be at least 1, got [" + dilationH + ", " + dilationW + "]");
        if (groups < 1) throw new IllegalArgumentException("conv_transpose2d: groups must be at least 1, got " + groups);
        if (out % groups != 0) throw new IllegalArgumentException("conv_transpose2d: out = " + out + " does not split into groups=" + groups + "; make out a multiple of groups");
        if (outputPaddingH < 0 || outputPaddingW < 0 || outputPaddingH >= strideH || outputPaddingW >= strideW) {
            throw new IllegalArgumentException("conv_transpose2d: output_padding [" + outputPaddingH + ", " + outputPaddingW
                    + "] must be at least 0 and smaller than the stride [" + strideH + ", " + strideW + "]");
        }
        if (padding.mode() == ConvPadding.Mode.SAME && (outputPaddingH != 0 || outputPaddingW != 0)) {
            throw new IllegalArgumentException("conv_transpose2d: \"same\" padding sets the output size (in·stride) itself; drop output_padding or give the padding as integers");
        }
    }

    /** out k×k filters with this stride and padding, no output padding, bias, default initializers. */
    public ConvTranspose2dLayer(int out, int kernel, int stride, ConvPadding padding) {
        this(out, kernel, kernel, stride, stride, padding, 0, 0, 1, 1, 1, true, Conv2dLayer.DEFAULT_W_INIT, tinynn.ops.init.Initializers.zeros());
    }

    public String type() { return "conv_transpose2d"; }

    public Node build(Node x, String name) {
        Shape s = x.shape();
        if (s.rank() != 4) {
            throw new GraphException("layer '" + name + "': conv_transpose2d needs [batch, channels, height, width] input, got " + s
                    + "; add a reshape layer first");
        }
        int c = s.dim(1), h = s.dim(2), w = s.dim(3);
        if (c % groups != 0) {
            throw new GraphException("layer '" + name + "': the input's " + c + " channels do not split into groups=" + groups
                    + "; use a groups value that divides " + c);
        }
        int[] pad;
        int oph = outputPaddingH, opw = outputPaddingW;
        if (padding.mode() == ConvPadding.Mode.SAME) {
            // The conv2d this transposes reads an image of in·stride with "same" padding; what that padding does
            // not cover (a kernel shorter than the stride) is output padding.
            pad = padding.resolve(h * strideH, w * strideW, kernelH, kernelW, strideH, strideW, dilationH, dilationW);
            oph = h * strideH - ConvTranspose2d.outputSize(h, kernelH, strideH, pad[0], pad[2], dilationH, 0);
            opw = w * strideW - ConvTranspose2d.outputSize(w, kernelW, strideW, pad[1], pad[3], dilationW, 0);
        } else {
            pad = padding.resolve(h, w, kernelH, kernelW, strideH, strideW, dilationH, dilationW);
        }
        int outH = ConvTranspose2d.outputSize(h, kernelH, strideH, pad[0], pad[2], dilationH, oph);
        int outW = ConvTranspose2d.outputSize(w, kernelW, strideW, pad[1], pad[3], dilationW, opw);
        if (outH < 1 || outW < 1) {
            throw new GraphException("layer '" + name + "': the padding " + padding.attr() + " leaves no output for input " + s + " (size ["
                    + outH + ", " + outW + "]); use less padding");
        }
        ConvGeometry geo = new ConvGeometry(strideH, strideW, pad[0], pad[1], pad[2], pad[3], dilationH, dilationW, groups);
        var g = x.graph();
        Node wt = g.parameter(name + ".w", x.dtype(), Shape.of(c, out / groups, kernelH, kernelW), wInit);
        Node b = bias ? g.parameter(name + ".b", x.dtype(), Shape.of(1, out, 1, 1), bInit) : null;
        int fh = outH, fw = outW;
        return g.scoped(name, () -> {
            Node y = Ops.convTranspose2d(x, wt, geo, fh, fw);
            return b == null ? y : Ops.add(y, b);
        });
    }

    public Map<String, Object> attrs() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("out", out);
        a.put("kernel", List.of(kernelH, kernelW));
        a.put("stride", List.of(strideH, strideW));
        a.put("padding", padding.attr());
        a.put("output_padding", List.of(outputPaddingH, outputPaddingW));
        a.put("dilation", List.of(dilationH, dilationW));
        a.put("groups", groups);
        a.put("bias", bias);
        a.put("w_init", wInit.describe());
        a.put("b_init", bInit.describe());
        return a;
    }

    /** The layer an attribute map describes; see {@link Layers#create}. */
    static ConvTranspose2dLayer of(Map<String, Object> attrs) {
        String t = "conv_transpose2d";
        Attrs.only(t, attrs, "out", "kernel", "stride", "padding", "output_padding", "dilation", "groups", "bias", "b", "w_init", "init", "init_gain", "init_mode", "b_init");
        int[] k = Conv2dLayer.required(attrs, t, "kernel"), st = Attrs.pair(attrs, "stride", new int[] {1, 1});
        int[] op = Attrs.pair(attrs, "output_padding", new int[] {0, 0}), d = Attrs.pair(attrs, "dilation", new int[] {1, 1});
        return new ConvTranspose2dLayer(Conv2dLayer.outChannels(attrs, t), k[0], k[1], st[0], st[1], ConvPadding.parse(attrs, "padding", ConvPadding.VALID),
                op[0], op[1], d[0], d[1], Attrs.integer(attrs, "groups", 1), Conv2dLayer.bias(attrs),
                Conv2dLayer.weightInit(attrs, Conv2dLayer.DEFAULT_W_INIT), Conv2dLayer.biasInit(attrs));
    }
}
