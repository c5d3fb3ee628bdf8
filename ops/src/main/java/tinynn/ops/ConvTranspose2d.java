package tinynn.ops;

import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * The transposed convolution: conv2d's gradient with respect to its input, which is also the
 * conv_transpose2d layer's forward. dy [N, O, OH, OW] and the conv2d weight w [O, C/groups, KH, KW] give
 * [N, C, outH, outW], each dy element scattering w's window back onto the image the conv2d with this
 * geometry would have read. The output size is an attribute because several image sizes convolve to the same
 * OH (stride > 1); it is PyTorch's (OH − 1)·s − padTop − padBottom + d·(KH − 1) + output_padding + 1.
 */
public record ConvTranspose2d(ConvGeometry geometry, int outH, int outW) implements Primitive {

    public ConvTranspose2d {
        if (outH < 1 || outW < 1) throw new GraphException("conv_transpose2d: output size must be positive, got [" + outH + ", " + outW + "]");
    }

    /** PyTorch's output size along one axis: (in − 1)·stride − pads + dilation·(k − 1) + outputPadding + 1. */
    public static int outputSize(int in, int k, int stride, int padBefore, int padAfter, int dilation, int outputPadding) {
        return (in - 1) * stride - padBefore - padAfter + dilation * (k - 1) + outputPadding + 1;
    }

    public String type() { return "conv_transpose2d"; }

    public Shape shape(List<Node> in) {
        Shape dy = in.get(0).shape(), w = in.get(1).shape();
        if (dy.rank() != 4) throw new GraphException("needs an NCHW input [batch, channels, height, width], got " + dy + "; reshape the input first");
        if (w.rank() != 4) throw new GraphException("needs weights [in, out/groups, kh, kw], got " + w);
        int groups = geometry.groups();
        if (dy.dim(1) != w.dim(0)) {
            throw new GraphException("the input has " + dy.dim(1) + " channels but the weight " + w + " is for " + w.dim(0) + "; give the weight " + dy.dim(1) + " as its first dimension");
        }
        if (w.dim(0) % groups != 0) throw new GraphException(w.dim(0) + " input channels do not split into groups=" + groups + "; use a groups value that divides " + w.dim(0));
        int oh = geometry.outH(outH, w.dim(2)), ow = geometry.outW(outW, w.dim(3));
        if (oh != dy.dim(2) || ow != dy.dim(3)) {
            throw new GraphException("output size [" + outH + ", " + outW + "] does not convolve back to the input's [" + dy.dim(2) + ", " + dy.dim(3)
                    + "] with kernel [" + w.dim(2) + ", " + w.dim(3) + "] and this stride/padding/dilation; output_padding must be smaller than the stride");
        }
        return Shape.of(dy.dim(0), w.dim(1) * groups, outH, outW);
    }

    public List<Node> vjp(Node self, Node g) {
        Node dy = self.input(0), w = self.input(1);
        Shape ws = w.shape();
        return List.of(Ops.conv2d(g, w, geometry), Ops.conv2dGradWeight(g, dy, geometry, ws.dim(2), ws.dim(3)));
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] dy = in[0], w = in[1], x = new double[out.elements()];
        Shape ds = shapes[0], ws = shapes[1];
        int n = ds.dim(0), o = ds.dim(1), oh = ds.dim(2), ow = ds.dim(3);
        int cg = ws.dim(1), kh = ws.dim(2), kw = ws.dim(3), c = out.dim(1), h = out.dim(2), wd = out.dim(3);
        int og = o / geometry.groups();
        ConvGeometry g = geometry;
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double v = dy[((b * o + oc) * oh + i) * ow + j];
                        for (int ci = 0; ci < cg; ci++) {
                            int ch = oc / og * cg + ci;
                            for (int p = 0; p < kh; p++) {
                                int ih = i * g.strideH() - g.padTop() + p * g.dilationH();
                                if (ih < 0 || ih >= h) continue;
                                for (int q = 0; q < kw; q++) {
                                    int iw = j * g.strideW() - g.padLeft() + q * g.dilationW();
                                    if (iw < 0 || iw >= wd) continue;
                                    x[((b * c + ch) * h + ih) * wd + iw] += v * w[((oc * cg + ci) * kh + p) * kw + q];
                                }
                            }
                        }
                    }
                }
            }
        }
        return x;
    }

    public Map<String, Object> attrs() {
        Map<String, Object> a = Conv2d.geometryAttrs(geometry);
        a.put("output_size", new int[] {outH, outW});
        return a;
    }
}
