package tinynn.ops;

import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * 2-D cross-correlation, as PyTorch's conv2d without bias: x [N, C, H, W] and w [O, C/groups, KH, KW] give
 * [N, O, OH, OW], output channel o seeing only the input channels of its group o / (O / groups). The layer adds
 * the bias as a broadcast add. Both gradients are primitives of their own (the transposed convolution and
 * {@link Conv2dGradWeight}), and all three are bilinear, so each one's gradient is built from the other two.
 */
public record Conv2d(ConvGeometry geometry) implements Primitive {

    public String type() { return "conv2d"; }

    public Shape shape(List<Node> in) {
        Shape x = in.get(0).shape(), w = in.get(1).shape();
        if (x.rank() != 4) throw new GraphException("needs an NCHW image [batch, channels, height, width], got " + x + "; reshape the input first");
        if (w.rank() != 4) throw new GraphException("needs OIHW weights [out, in/groups, kh, kw], got " + w);
        int groups = geometry.groups();
        checkChannels(x.dim(1), w, groups);
        return Shape.of(x.dim(0), w.dim(0), outSize("height", x.dim(2), w.dim(2), geometry.outH(x.dim(2), w.dim(2)), geometry.strideH(),
                        geometry.padTop() + geometry.padBottom(), geometry.dilationH()),
                outSize("width", x.dim(3), w.dim(3), geometry.outW(x.dim(3), w.dim(3)), geometry.strideW(),
                        geometry.padLeft() + geometry.padRight(), geometry.dilationW()));
    }

    /** C and O must split into the groups, and C/groups must be the weight's second dimension. */
    static void checkChannels(int c, Shape w, int groups) {
        int o = w.dim(0);
        if (c % groups != 0) throw new GraphException(c + " input channels do not split into groups=" + groups + "; use a groups value that divides " + c);
        if (o % groups != 0) throw new GraphException(o + " output channels do not split into groups=" + groups + "; use a groups value that divides " + o);
        if (w.dim(1) * groups != c) {
            throw new GraphException("the input has " + c + " channels but the weight " + w + " expects C/groups = " + w.dim(1) + " with groups=" + groups
                    + " (" + w.dim(1) * groups + " channels); give the weight " + c / groups + " input channels or change groups");
        }
    }

    static int outSize(String dim, int size, int k, int out, int stride, int pad, int dilation) {
        if (out < 1) {
            throw new GraphException("the " + (dilation > 1 ? "dilated " : "") + "kernel " + dim + " " + (dilation * (k - 1) + 1) + " does not fit the input "
                    + dim + " " + size + " with padding " + pad + "; use a smaller kernel or more padding");
        }
        return out;
    }

    public List<Node> vjp(Node self, Node g) {
        Node x = self.input(0), w = self.input(1);
        Shape xs = x.shape(), ws = w.shape();
        return List.of(Ops.convTranspose2d(g, w, geometry, xs.dim(2), xs.dim(3)), Ops.conv2dGradWeight(x, g, geometry, ws.dim(2), ws.dim(3)));
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] x = in[0], w = in[1], y = new double[out.elements()];
        Shape xs = shapes[0], ws = shapes[1];
        int n = xs.dim(0), c = xs.dim(1), h = xs.dim(2), wd = xs.dim(3);
        int o = ws.dim(0), cg = ws.dim(1), kh = ws.dim(2), kw = ws.dim(3), oh = out.dim(2), ow = out.dim(3);
        int og = o / geometry.groups();
        ConvGeometry g = geometry;
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = 0;
                        for (int ci = 0; ci < cg; ci++) {
                            int ch = oc / og * cg + ci;
                            for (int p = 0; p < kh; p++) {
                                int ih = i * g.strideH() - g.padTop() + p * g.dilationH();
                                if (ih < 0 || ih >= h) continue;
                                for (int q = 0; q < kw; q++) {
                                    int iw = j * g.strideW() - g.padLeft() + q * g.dilationW();
                                    if (iw < 0 || iw >= wd) continue;
                                    s += x[((b * c + ch) * h + ih) * wd + iw] * w[((oc * cg + ci) * kh + p) * kw + q];
                                }
                            }
                        }
                        y[((b * o + oc) * oh + i) * ow + j] = s;
                    }
                }
            }
        }
        return y;
    }

    public Map<String, Object> attrs() { return geometryAttrs(geometry); }

    /** The geometry as model files store it (see model.proto's "conv2d"). */
    static Map<String, Object> geometryAttrs(ConvGeometry g) {
        Map<String, Object> a = new java.util.LinkedHashMap<>();
        a.put("strides", new int[] {g.strideH(), g.strideW()});
        a.put("padding", new int[] {g.padTop(), g.padLeft(), g.padBottom(), g.padRight()});
        a.put("dilations", new int[] {g.dilationH(), g.dilationW()});
        a.put("groups", g.groups());
        return a;
    }
}
