package tinynn.ops.init;

import java.util.random.RandomGenerator;
import tinynn.graph.GraphException;
import tinynn.graph.Initializer;
import tinynn.graph.Shape;

/**
 * A (semi-)orthogonal matrix times {@code gain}, as PyTorch's orthogonal_: the parameter is viewed as
 * [dim0, rest], a normal matrix of the taller orientation is factored Q·R, and Q's columns take the
 * sign of R's diagonal so Q is uniformly (Haar) distributed. Gram-Schmidt yields that Q directly: its
 * R has a positive diagonal. Rows are orthonormal when dim0 ≤ rest, columns otherwise.
 */
record Orthogonal(double gain) implements Initializer {

    public double[] values(Shape s, RandomGenerator r) {
        if (s.rank() < 2) throw new GraphException("initializer orthogonal: needs a parameter of rank 2 or more, got " + s);
        int rows = s.dim(0), cols = s.elements() / rows;
        int m = Math.max(rows, cols), n = Math.min(rows, cols); // q is m×n, column-orthonormal
        double[][] q = new double[n][m]; // q[j] is column j
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) q[j][i] = r.nextGaussian();
        for (int j = 0; j < n; j++) {
            // twice ("twice is enough", Kahan–Parlett): one pass of modified Gram-Schmidt loses orthogonality
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < m; i++) dot += q[k][i] * q[j][i];
                    for (int i = 0; i < m; i++) q[j][i] -= dot * q[k][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < m; i++) norm += q[j][i] * q[j][i];
            norm = Math.sqrt(norm);
            if (norm == 0) throw new GraphException("initializer orthogonal: the random matrix is rank deficient");
            for (int i = 0; i < m; i++) q[j][i] /= norm;
        }
        double[] out = new double[s.elements()];
        // rows ≥ cols: W = Q (rows×cols); rows < cols: W = Qᵀ
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < cols; c++) out[i * cols + c] = gain * (rows >= cols ? q[c][i] : q[i][c]);
        }
        return out;
    }

    public String describe() { return gain == 1 ? "orthogonal" : "orthogonal(gain=" + gain + ")"; }
}
