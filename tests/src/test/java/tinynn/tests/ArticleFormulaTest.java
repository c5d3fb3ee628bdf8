package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.SGD;

/**
 * The graph's gradients for Dense→ReLU→Dense→softmax-CE equal the article's closed forms:
 * dL/dlogits = (p − y)/N, dW = Xᵀ·G, db = ΣG, dX = G·Wᵀ and the ReLU mask.
 */
class ArticleFormulaTest {

    @Property(tries = 25)
    void gradientsEqualTheArticlesFormulas(@ForAll @IntRange(min = 1, max = 9) int n, @ForAll @IntRange(min = 1, max = 7) int in,
                                            @ForAll @IntRange(min = 1, max = 7) int hidden, @ForAll @IntRange(min = 2, max = 5) int classes,
                                            @ForAll long seed) {
        Model model = new Model(new Net(new Dense(in, hidden), Activation.relu(), new Dense(hidden, classes)),
                Losses.softmaxCrossEntropy(), new SGD(0.1), new OjalgoBackend(), DType.F64, seed);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * in], y = new double[n * classes];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble(-1, 1);
        for (int r = 0; r < n; r++) y[r * classes + rng.nextInt(classes)] = 1;

        Tensor preds = model.forward(Tensor.wrap(Shape.of(n, in), x));
        Model.Grads grads = model.backward(preds, Tensor.wrap(Shape.of(n, classes), y));

        double[] w1 = model.parameters().get("dense0.w").f64(), b1 = model.parameters().get("dense0.b").f64();
        double[] w2 = model.parameters().get("dense2.w").f64(), b2 = model.parameters().get("dense2.b").f64();
        double[] z1 = add(matmul(x, w1, n, in, hidden), b1, n, hidden);
        double[] h1 = z1.clone();
        for (int i = 0; i < h1.length; i++) h1[i] = Math.max(0, h1[i]);
        double[] logits = add(matmul(h1, w2, n, hidden, classes), b2, n, classes);
        assertArrayEquals(logits, preds.f64(), 1e-12);

        double[] g = new double[n * classes];
        double loss = 0;
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < classes; c++) max = Math.max(max, logits[r * classes + c]);
            for (int c = 0; c < classes; c++) sum += Math.exp(logits[r * classes + c] - max);
            for (int c = 0; c < classes; c++) {
                double p = Math.exp(logits[r * classes + c] - max) / sum;
                g[r * classes + c] = (p - y[r * classes + c]) / n;
                if (y[r * classes + c] == 1) loss -= Math.log(p) / n;
            }
        }
        assertEquals(loss, grads.loss(), 1e-12);
        double[] dw2 = matmul(transpose(h1, n, hidden), g, hidden, n, classes);
        double[] db2 = colSums(g, n, classes);
        double[] dh1 = matmul(g, transpose(w2, hidden, classes), n, classes, hidden);
        for (int i = 0; i < dh1.length; i++) if (z1[i] <= 0) dh1[i] = 0;
        double[] dw1 = matmul(transpose(x, n, in), dh1, in, n, hidden);
        double[] db1 = colSums(dh1, n, hidden);

        assertArrayEquals(dw2, grads.grads().get("dense2.w").f64(), 1e-12, "dW2 = H1ᵀ·G");
        assertArrayEquals(db2, grads.grads().get("dense2.b").f64(), 1e-12, "db2 = ΣG");
        assertArrayEquals(dw1, grads.grads().get("dense0.w").f64(), 1e-12, "dW1 = Xᵀ·(G·W2ᵀ ⊙ relu mask)");
        assertArrayEquals(db1, grads.grads().get("dense0.b").f64(), 1e-12, "db1");
    }

    static double[] matmul(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) c[i * n + j] += a[i * k + p] * b[p * n + j];
        return c;
    }

    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
        return t;
    }

    static double[] add(double[] a, double[] bias, int rows, int cols) {
        double[] out = a.clone();
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) out[r * cols + c] += bias[c];
        return out;
    }

    static double[] colSums(double[] a, int rows, int cols) {
        double[] s = new double[cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) s[c] += a[r * cols + c];
        return s;
    }
}
