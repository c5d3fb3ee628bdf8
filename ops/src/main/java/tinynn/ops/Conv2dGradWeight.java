package tinynn.ops;

import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * conv2d's gradient with respect to its weight: from the input x [N, C, H, W] and the output gradient
 * dy [N, O, OH, OW], dw [O, C/groups, KH, KW] = Σ over the batch and the output positions of dy times the
 * input window it saw. The kernel size is an attribute: x and dy alone do not fix it.
 */
public record Conv2dGradWeight(ConvGeometry geometry, int kh, int kw) implements Primitive {

    public Conv2dGradWeight {
        if (kh < 1 || kw < 1) throw new GraphException("conv2d_grad_weight: kernel size must be positive, got [" + kh + ", " + kw + "]");
    }

    public String type() { return "conv2d_grad_weight"; }

    public Shape shape(List<Node> in) {
        Shape x = in.get(0).shape(), dy = in.get(1).shape();
        if (x.rank() != 4 || dy.rank() != 4) throw new GraphException("needs NCHW input and output gradient, got " + x + " and " + dy);
        int groups = geometry.groups();
        if (x.dim(0) != dy.dim(0)) throw new GraphException("input batch " + x.dim(0) + " differs from the gradient's " + dy.dim(0));
        if (x.dim(1) % groups != 0 || dy.dim(1) % groups != 0) {
            throw new GraphException("channels " + x.dim(1) + " → " + dy.dim(1) + " do not split into groups=" + groups + "; use a groups value that divides both");
        }
        if (geometry.outH(x.dim(2), kh) != dy.dim(2) || geometry.outW(x.dim(3), kw) != dy.dim(3)) {
            throw new GraphException("a [" + kh + ", " + kw + "] kernel over " + x + " does not give the gradient's " + dy + " with this stride/padding/dilation");
        }
        return Shape.of(dy.dim(1), x.dim(1) / groups, kh, kw);
    }

    public List<Node> vjp(Node self, Node g) {
        Node x = self.input(0), dy = self.input(1);
        Shape xs = x.shape();
        // <G, dw(x, dy)> = <conv2d(x, G), dy> = <x, convT(dy, G)>.
        return List.of(Ops.convTranspose2d(dy, g, geometry, xs.dim(2), xs.dim(3)), Ops.conv2d(x, g, geometry));
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] x = in[0], dy = in[1], dw = new double[out.elements()];
        Shape xs = shapes[0], ds = shapes[1];
        int n = xs.dim(0), c = xs.dim(1), h = xs.dim(2), wd = xs.dim(3);
        int o = ds.dim(1), oh = ds.dim(2), ow = ds.dim(3), cg = out.dim(1);
        int og = o / geometry.groups();
        ConvGeometry g = geometry;
        for (int oc = 0; oc < o; oc++) {
            for (int ci = 0; ci < cg; ci++) {
                int ch = oc / og * cg + ci;
                for (int p = 0; p < kh; p++) {
                    for (int q = 0; q < kw; q++) {
                        double s = 0;
                        for (int b = 0; b < n; b++) {
                            for (int i = 0; i < oh; i++) {
                                int ih = i * g.strideH() - g.padTop() + p * g.dilationH();
                                if (ih < 0 || ih >= h) continue;
                                for (int j = 0; j < ow; j++) {
                                    int iw = j * g.strideW() - g.padLeft() + q * g.dilationW();
                                    if (iw < 0 || iw >= wd) continue;
                                    s += x[((b * c + ch) * h + ih) * wd + iw] * dy[((b * o + oc) * oh + i) * ow + j];
                                }
                            }
                        }
                        dw[((oc * cg + ci) * kh + p) * kw + q] = s;
                    }
                }
            }
        }
        return dw;
    }

    public Map<String, Object> attrs() {
        Map<String, Object> a = Conv2d.geometryAttrs(geometry);
        a.put("kernel", new int[] {kh, kw});
        return a;
    }
}
