package tinynn.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * The largest element of each window of an NCHW image, PyTorch's max_pool2d in floor mode: padding counts as −∞
 * (it never wins) and ties go to the first maximum in row-major order, as does a NaN (it propagates). The gradient
 * routes g to that element ({@link MaxPool2dGrad}), found again from x, so no index buffer is kept.
 */
public record MaxPool2d(PoolWindow window) implements Primitive {

    public String type() { return "max_pool2d"; }

    public Shape shape(List<Node> in) { return window.output(in.getFirst().shape()); }

    public List<Node> vjp(Node self, Node g) { return List.of(Ops.maxPool2dGrad(self.input(0), g, window)); }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] x = in[0], r = new double[out.elements()];
        forEachWindow(window, shapes[0], out, (o, argmax) -> r[o] = x[argmax], x);
        return r;
    }

    public Map<String, Object> attrs() { return attrs(window); }

    static Map<String, Object> attrs(PoolWindow w) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("kernel", w.kernel());
        a.put("strides", w.strides());
        a.put("padding", w.padding());
        return a;
    }

    /** Receives each output index with the flat input index its window takes. */
    @FunctionalInterface
    interface WindowVisitor {
        void visit(int outIndex, int argmax);
    }

    /**
     * The definition of which element each window takes, shared by the three max-pool references: the first
     * element of the window that is greater than all before it or NaN, starting from −∞ (PyTorch's CPU loop).
     */
    static void forEachWindow(PoolWindow w, Shape xs, Shape out, WindowVisitor visitor, double[] x) {
        int planes = xs.dim(0) * xs.dim(1), h = xs.dim(2), wd = xs.dim(3), oh = out.dim(2), ow = out.dim(3);
        for (int p = 0, o = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) {
                    int h0 = i * w.strideH() - w.padTop(), w0 = j * w.strideW() - w.padLeft();
                    int hs = Math.max(h0, 0), he = Math.min(h0 + w.kernelH(), h), ws = Math.max(w0, 0), we = Math.min(w0 + w.kernelW(), wd);
                    int best = p * h * wd + hs * wd + ws;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int y = hs; y < he; y++) {
                        for (int xx = ws; xx < we; xx++) {
                            int k = p * h * wd + y * wd + xx;
                            if (x[k] > max || Double.isNaN(x[k])) {
                                max = x[k];
                                best = k;
                            }
                        }
                    }
                    visitor.visit(o, best);
                }
            }
        }
    }
}
