package tinynn.ops;

import java.util.List;
import java.util.Map;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * The mean of each window of an NCHW image, PyTorch's avg_pool2d in floor mode. With {@code countIncludePad}
 * (PyTorch's default) padding counts as zeros and every window divides by kernelH·kernelW; without, by the
 * number of input elements it covers. Linear, so its gradient {@link AvgPool2dGrad} is its transpose.
 */
public record AvgPool2d(PoolWindow window, boolean countIncludePad) implements Primitive {

    public String type() { return "avg_pool2d"; }

    public Shape shape(List<Node> in) { return window.output(in.getFirst().shape()); }

    public List<Node> vjp(Node self, Node g) {
        Shape x = self.input(0).shape();
        return List.of(Ops.avgPool2dGrad(g, window, countIncludePad, x.dim(2), x.dim(3)));
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] x = in[0], r = new double[out.elements()];
        forEachWindow(window, countIncludePad, shapes[0], out, (o, k, weight) -> r[o] += weight * x[k]);
        return r;
    }

    public Map<String, Object> attrs() { return attrs(window, countIncludePad); }

    static Map<String, Object> attrs(PoolWindow w, boolean countIncludePad) {
        Map<String, Object> a = MaxPool2d.attrs(w);
        a.put("count_include_pad", countIncludePad);
        return a;
    }

    /** Receives each (output index, input index) pair of a window with the weight 1/divisor the input enters with. */
    @FunctionalInterface
    interface TermVisitor {
        void visit(int outIndex, int inIndex, double weight);
    }

    /** The definition of the average, shared with the gradient's reference: which inputs each output sums, and the divisor. */
    static void forEachWindow(PoolWindow w, boolean countIncludePad, Shape xs, Shape out, TermVisitor visitor) {
        int planes = xs.dim(0) * xs.dim(1), h = xs.dim(2), wd = xs.dim(3), oh = out.dim(2), ow = out.dim(3);
        for (int p = 0, o = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) {
                    int h0 = i * w.strideH() - w.padTop(), w0 = j * w.strideW() - w.padLeft();
                    int hs = Math.max(h0, 0), he = Math.min(h0 + w.kernelH(), h), ws = Math.max(w0, 0), we = Math.min(w0 + w.kernelW(), wd);
                    int divisor = countIncludePad ? w.kernelH() * w.kernelW() : (he - hs) * (we - ws);
                    for (int y = hs; y < he; y++) {
                        for (int xx = ws; xx < we; xx++) visitor.visit(o, p * h * wd + y * wd + xx, 1.0 / divisor);
                    }
                }
            }
        }
    }
}
