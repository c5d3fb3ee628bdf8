package tinynn.ops;

import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * C = op(A)·op(B) for 2-D tensors, where op transposes when its flag is set. The flags let
 * gradients use Aᵀ·B and A·Bᵀ directly, so no transpose is ever materialised.
 */
public record MatMul(boolean transA, boolean transB) implements Primitive {

    public String type() { return "matmul"; }

    public Shape shape(List<Node> in) {
        Shape a = in.get(0).shape(), b = in.get(1).shape();
        if (a.rank() != 2 || b.rank() != 2) throw new GraphException("needs 2-D inputs, got " + a + " and " + b);
        int m = transA ? a.dim(1) : a.dim(0), ka = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0), n = transB ? b.dim(0) : b.dim(1);
        if (ka != kb) {
            throw new GraphException("inner dimensions differ: " + a + (transA ? "ᵀ" : "") + " · " + b + (transB ? "ᵀ" : "")
                    + " (" + ka + " vs " + kb + ")");
        }
        return Shape.of(m, n);
    }

    public List<Node> vjp(Node self, Node g) {
        Node a = self.input(0), b = self.input(1);
        // d op(A) = G·op(B)ᵀ and d op(B) = op(A)ᵀ·G, undone by the flags instead of transposes.
        Node da = transA ? Ops.matmul(b, g, transB, true) : Ops.matmul(g, b, false, !transB);
        Node db = transB ? Ops.matmul(g, a, true, transA) : Ops.matmul(a, g, !transA, false);
        return List.of(da, db);
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        int m = out.dim(0), n = out.dim(1), k = transA ? shapes[0].dim(0) : shapes[0].dim(1);
        int lda = shapes[0].dim(1), ldb = shapes[1].dim(1);
        double[] a = in[0], b = in[1], c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * n + j] = s;
            }
        }
        return c;
    }

    public Map<String, Object> attrs() { return Map.of("trans_a", transA, "trans_b", transB); }
}
