package tinynn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tinynn.graph.Autodiff;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.loss.Loss;
import tinynn.ops.loss.Losses;

/**
 * Losses against values worked out by hand from their definitions (the arithmetic is in the comments; the
 * logs and exps were evaluated with a calculator, not with tinynn), and the weighted cross entropy's
 * gradient against the article's column-weighted one.
 */
class LossValuesTest {

    // Row r = [1, 2, 3]: lse = log(e + e² + e³) = 3.40760596444438, so −log softmax = [2.40760596444438,
    // 1.40760596444438, 0.40760596444438]. Row z = [0, 0, 0]: −log softmax = log 3 = 1.0986122886681098.
    private static final double NLL_R2 = 0.40760596444438013, NLL_R1 = 1.4076059644443801, NLL_R0 = 2.40760596444438, LOG3 = Math.log(3);

    private static double value(Loss loss, double[] x, int[] xDims, double[] y, int[] yDims) {
        Graph g = new Graph();
        Node xn = g.placeholder("x", DType.F64, xDims), yn = g.placeholder("y", DType.F64, yDims);
        return ReferenceEval.value(loss.build(xn, yn), Map.of(xn, x, yn, y), ReferenceEval.REFERENCE)[0];
    }

    private static double[] gradient(Loss loss, double[] x, int[] xDims, double[] y, int[] yDims) {
        Graph g = new Graph();
        Node xn = g.placeholder("x", DType.F64, xDims), yn = g.placeholder("y", DType.F64, yDims);
        Node l = loss.build(xn, yn);
        return ReferenceEval.value(Autodiff.gradients(l, List.of(xn)).get(xn), Map.of(xn, x, yn, y), ReferenceEval.REFERENCE);
    }

    @Test
    void plainCrossEntropyWithIdsOrOneHot() {
        double[] x = {1, 2, 3, 0, 0, 0};
        // (0.40760596444438 + 1.0986122886681098) / 2
        double expected = (NLL_R2 + LOG3) / 2;
        assertEquals(expected, value(Losses.softmaxCrossEntropy(), x, new int[] {2, 3}, new double[] {2, 0}, new int[] {2}), 1e-12);
        assertEquals(expected, value(Losses.softmaxCrossEntropy(), x, new int[] {2, 3}, new double[] {0, 0, 1, 1, 0, 0}, new int[] {2, 3}), 1e-12);
        assertEquals(NLL_R1, value(Losses.softmaxCrossEntropy(), new double[] {1, 2, 3}, new int[] {1, 3}, new double[] {1}, new int[] {1, 1}), 1e-12);
    }

    @Test
    void weightedCrossEntropyIsNormalisedByTheTargetsWeights() {
        // weights [0.5, 1, 2]; targets 2 and 0: (2·0.40760596444438 + 0.5·log 3) / (2 + 0.5) = 0.5458072292891261
        Loss weighted = Losses.softmaxCrossEntropy(new double[] {0.5, 1, 2}, 0, 1);
        assertEquals(0.5458072292891261, value(weighted, new double[] {1, 2, 3, 0, 0, 0}, new int[] {2, 3}, new double[] {2, 0}, new int[] {2}), 1e-12);
        // equal weights change nothing: every term and the divisor scale together
        Loss equal = Losses.softmaxCrossEntropy(new double[] {3, 3, 3}, 0, 1);
        assertEquals((NLL_R2 + LOG3) / 2, value(equal, new double[] {1, 2, 3, 0, 0, 0}, new int[] {2, 3}, new double[] {2, 0}, new int[] {2}), 1e-12);
    }

    @Test
    void labelSmoothingIsPyTorchs() {
        // ε = 0.1, C = 3, target 2: 0.9·0.40760596444438 + (0.1/3)·(2.40760596444438 + 1.40760596444438 + 0.40760596444438)
        //   = 0.366845367999942 + 0.140760596444438 = 0.5076059644443801
        Loss smoothed = Losses.softmaxCrossEntropy(null, 0.1, 1);
        assertEquals(0.5076059644443801, value(smoothed, new double[] {1, 2, 3}, new int[] {1, 3}, new double[] {2}, new int[] {1}), 1e-12);
        // with weights [0.5, 1, 2] (PyTorch: the smoothing term weighs each class by w_c, all divided by w[y] = 2):
        // (0.9·2·0.40760596444438 + (0.1/3)·(0.5·2.40760596444438 + 1.40760596444438 + 2·0.40760596444438)) / 2
        double expected = (0.9 * 2 * NLL_R2 + 0.1 / 3 * (0.5 * NLL_R0 + NLL_R1 + 2 * NLL_R2)) / 2;
        assertEquals(expected, value(Losses.softmaxCrossEntropy(new double[] {0.5, 1, 2}, 0.1, 1), new double[] {1, 2, 3}, new int[] {1, 3}, new double[] {2}, new int[] {1}), 1e-12);
    }

    @Test
    void temperatureDividesTheLogitsAndItsGradientHasTheOneOverT() {
        // T = 2: logits [0.5, 1, 1.5], target 2: log(e^0.5 + e + e^1.5) − 1.5 = 0.6802696706417346
        Loss tempered = Losses.softmaxCrossEntropy(null, 0, 2);
        assertEquals(0.6802696706417346, value(tempered, new double[] {1, 2, 3}, new int[] {1, 3}, new double[] {2}, new int[] {1}), 1e-12);
        // gradient (softmax(x/T) − y) / T with softmax([0.5, 1, 1.5]) = [0.18632372, 0.30719589, 0.50648039]
        double[] g = gradient(tempered, new double[] {1, 2, 3}, new int[] {1, 3}, new double[] {2}, new int[] {1});
        double[] expected = {0.0931618616129238, 0.15359794285924921, -0.246759804472173};
        for (int i = 0; i < 3; i++) assertEquals(expected[i], g[i], 1e-12, "element " + i);
    }

    @Test
    void weightedGradientIsTheLossesDerivativeNotTheArticlesColumnWeighting() {
        double[] w = {0.5, 1, 2};
        double[] x = {1, 2, 3, 0.5, -1, 0};
        double[] y = {0, 0, 1, 1, 0, 0}; // classes 2 and 0
        Loss weighted = Losses.softmaxCrossEntropy(w, 0, 1);
        double[] ours = gradient(weighted, x, new int[] {2, 3}, y, new int[] {2, 3});
        double[] article = new double[6];
        for (int r = 0; r < 2; r++) {
            double[] p = Reference.softmaxRows(new double[] {x[3 * r], x[3 * r + 1], x[3 * r + 2]}, 3);
            for (int c = 0; c < 3; c++) article[3 * r + c] = (p[c] - y[3 * r + c]) * w[c] / 2; // the article: column c times w_c, over N
        }
        double worstArticle = 0;
        for (int i = 0; i < 6; i++) {
            double keep = x[i], h = 1e-6;
            x[i] = keep + h;
            double up = value(weighted, x, new int[] {2, 3}, y, new int[] {2, 3});
            x[i] = keep - h;
            double down = value(weighted, x, new int[] {2, 3}, y, new int[] {2, 3});
            x[i] = keep;
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, ours[i], 1e-7, "d/dx[" + i + "]");
            worstArticle = Math.max(worstArticle, Math.abs(article[i] - numeric));
        }
        assertTrue(worstArticle > 0.05, "the article's column-weighted gradient should be off; worst difference " + worstArticle);
    }

    @Test
    void sigmoidCrossEntropyIsFiniteForHugeLogits() {
        int[] d = {4, 1};
        // softplus(x) − x·y: x = 800, y = 0 → 800; x = −800, y = 1 → 800; x = 800, y = 1 → 0; x = −800, y = 0 → 0. Mean 400.
        double[] x = {800, -800, 800, -800}, y = {0, 1, 1, 0};
        assertEquals(400, value(Losses.sigmoidCrossEntropy(), x, d, y, d), 1e-9);
        double[] g = gradient(Losses.sigmoidCrossEntropy(), x, d, y, d);
        // (σ(x) − y) / N = [1, −1, 0, 0] / 4
        double[] expected = {0.25, -0.25, 0, 0};
        for (int i = 0; i < 4; i++) assertEquals(expected[i], g[i], 1e-12, "element " + i);
        // pos_weight 3, same points: 3·800 for the positive at −800, 0 for the positive at 800: (800 + 2400) / 4
        assertEquals(800, value(Losses.sigmoidCrossEntropy(new double[] {3}), x, d, y, d), 1e-9);
    }

    @Test
    void sigmoidCrossEntropyPosWeightIsPyTorchs() {
        int[] d = {1, 2};
        // x = 0, y = 1, p = 3: −3·log σ(0) = 3·log 2 = 2.0794415416798357
        // x = 1, y = 0.5, p = 2: (1 − 0.5 + 2·0.5)·log(1 + e) − 2·0.5·1 = 1.5·1.3132616875182228 − 1 = 0.9698925312773343
        assertEquals(2.0794415416798357 + 0.9698925312773343,
                value(Losses.sigmoidCrossEntropy(new double[] {3, 2}), new double[] {0, 1}, d, new double[] {1, 0.5}, d), 1e-12);
    }

    @Test
    void nllKlDivAndRegressionLosses() {
        // nll on log probabilities log[0.2, 0.3, 0.5], class 1: −log 0.3 = 1.2039728043259361
        double[] logp = {Math.log(0.2), Math.log(0.3), Math.log(0.5)};
        assertEquals(1.2039728043259361, value(Losses.nll(), logp, new int[] {1, 3}, new double[] {1}, new int[] {1}), 1e-12);
        assertEquals(1.2039728043259361, value(Losses.nll(), logp, new int[] {1, 3}, new double[] {0, 1, 0}, new int[] {1, 3}), 1e-12);
        // kl_div(input = log q, target = p), p = [0.5, 0.5, 0], q = [0.25, 0.25, 0.5]: 0.5·log 2 + 0.5·log 2 + 0 = log 2
        double[] logq = {Math.log(0.25), Math.log(0.25), Math.log(0.5)};
        assertEquals(0.6931471805599453, value(Losses.klDiv(), logq, new int[] {1, 3}, new double[] {0.5, 0.5, 0}, new int[] {1, 3}), 1e-12);
        double[] g = gradient(Losses.klDiv(), logq, new int[] {1, 3}, new double[] {0.5, 0.5, 0}, new int[] {1, 3});
        assertEquals(-0.5, g[0], 1e-12);
        assertEquals(0, g[2], 1e-12);
        int[] d = {2, 1};
        // huber delta 0.5: errors 2 and 0.3 → 0.5·(2 − 0.25) = 0.875 and ½·0.09 = 0.045; mean 0.46
        assertEquals(0.46, value(Losses.huber(0.5), new double[] {3, 0.3}, d, new double[] {1, 0}, d), 1e-12);
        // mse is half the squared error: errors 2 and 0.3 → (2 + 0.045) / 2; mae (2 + 0.3) / 2
        assertEquals(1.0225, value(Losses.mse(), new double[] {3, 0.3}, d, new double[] {1, 0}, d), 1e-12);
        assertEquals(1.15, value(Losses.mae(), new double[] {3, 0.3}, d, new double[] {1, 0}, d), 1e-12);
    }

    @Test
    void namesAndAttributesRoundTripThroughCreate() {
        for (Loss l : List.of(Losses.huber(0.25), Losses.softmaxCrossEntropy(new double[] {1, 2}, 0.2, 3), Losses.sigmoidCrossEntropy(new double[] {4}),
                Losses.nll(), Losses.klDiv(), Losses.mse(), Losses.mae(), Losses.softmaxCrossEntropy())) {
            Loss again = Losses.create(l.type(), l.attrs());
            assertEquals(l.type(), again.type());
            assertEquals(l.attrs().keySet(), again.attrs().keySet());
            double[] x = {0.3, -0.7, 1.1, 2}, y = {0, 1, 1, 0};
            int[] d = {2, 2};
            assertEquals(value(l, x, d, y, d), value(again, x, d, y, d), 0, l.type() + " " + l.attrs());
        }
        assertEquals(Map.of("delta", 0.25), Losses.huber(0.25).attrs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.create("huber", Map.of("delt", 1.0)));
        assertEquals("loss huber: unknown attribute 'delt'; use delta", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.softmaxCrossEntropy(null, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Losses.softmaxCrossEntropy(null, 0, 0));
    }
}
