package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.BatchNorm;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Dropout;
import tinynn.ops.nn.Flatten;
import tinynn.ops.nn.LayerNorm;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.SGD;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.runtime.simd.SimdBackend;

/**
 * Batch norm, layer norm and dropout inside a model, against direct computations: the running statistics after N
 * training steps, the outputs of both modes, and dropout's drop fraction and scaling.
 */
class NormalizationTrainingTest {

    static final double MOMENTUM = 0.3, EPS = 1e-5;

    @Test
    void runningStatisticsAfterTrainingStepsMatchADirectComputation() {
        for (Backend backend : new Backend[] {new ReferenceBackend(), new SimdBackend(2), new OjalgoBackend()}) {
            // 4-D: per channel over N, H, W; batch norm first, so its input is the batch itself.
            int n = 5, c = 3, h = 2, w = 4;
            Model m = new Model(new Net(new BatchNorm(MOMENTUM, EPS), new Flatten(), new Dense(c * h * w, 2)), Losses.softmaxCrossEntropy(),
                    new SGD(0.1), backend, DType.F64, 3);
            double[] mean = new double[c], var = new double[c];
            java.util.Arrays.fill(var, 1);
            SplittableRandom r = new SplittableRandom(11);
            Tensor x = null;
            for (int step = 0; step < 4; step++) {
                x = Tensor.zeros(DType.F64, Shape.of(n, c, h, w));
                for (int i = 0; i < x.size(); i++) x.set(i, 3 * r.nextDouble() + step);
                m.trainStep(x, oneHot(n, 2, r));
                for (int ch = 0; ch < c; ch++) {
                    double[] s = channel(x, ch);
                    mean[ch] = (1 - MOMENTUM) * mean[ch] + MOMENTUM * mean(s);
                    var[ch] = (1 - MOMENTUM) * var[ch] + MOMENTUM * variance(s) * s.length / (s.length - 1);
                }
            }
            assertClose(backend.name() + " running_mean", mean, m.parameters().get("batch_norm0.running_mean").toDoubles());
            assertClose(backend.name() + " running_var", var, m.parameters().get("batch_norm0.running_var").toDoubles());

            // Inference normalises with the running statistics (γ, β still at their initial 1, 0: batch norm's gradients
            // reach them, but the dense layer's output is what predict returns, so compare the normalised input instead).
            Model bnOnly = new Model(new Net(new BatchNorm(MOMENTUM, EPS)), Losses.mse(), new SGD(0), backend, DType.F64, 3);
            bnOnly.parameters().put("batch_norm0.running_mean", Tensor.wrap(Shape.of(c), mean.clone()));
            bnOnly.parameters().put("batch_norm0.running_var", Tensor.wrap(Shape.of(c), var.clone()));
            double[] got = bnOnly.predict(x).toDoubles(), train = bnOnly.forward(x).toDoubles();
            double[] wantInfer = new double[got.length], wantTrain = new double[got.length];
            for (int i = 0; i < got.length; i++) {
                int ch = (i / (h * w)) % c;
                double[] s = channel(x, ch);
                wantInfer[i] = (x.get(i) - mean[ch]) / Math.sqrt(var[ch] + EPS);
                wantTrain[i] = (x.get(i) - mean(s)) / Math.sqrt(variance(s) + EPS);
            }
            assertClose(backend.name() + " inference output", wantInfer, got);
            assertClose(backend.name() + " training output", wantTrain, train);
        }
    }

    @Test
    void batchNorm2dIsPerFeatureAndLayerNormPerExample() {
        int n = 4, f = 3;
        SplittableRandom r = new SplittableRandom(5);
        Tensor x = Tensor.zeros(DType.F64, Shape.of(n, f));
        for (int i = 0; i < x.size(); i++) x.set(i, r.nextDouble(-2, 5));
        Model bn = new Model(new Net(new BatchNorm()), Losses.mse(), new SGD(0), new SimdBackend(1), DType.F64, 1);
        Model ln = new Model(new Net(new LayerNorm()), Losses.mse(), new SGD(0), new SimdBackend(1), DType.F64, 1);
        double[] b = bn.forward(x).toDoubles(), l = ln.predict(x).toDoubles();
        assertArrayEquals(l, ln.forward(x).toDoubles(), "layer norm is the same in both modes");
        for (int j = 0; j < f; j++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) col[i] = x.get(i * f + j);
            for (int i = 0; i < n; i++) assertEquals((col[i] - mean(col)) / Math.sqrt(variance(col) + BatchNorm.DEFAULT_EPS), b[i * f + j], 1e-12);
        }
        for (int i = 0; i < n; i++) {
            double[] row = new double[f];
            for (int j = 0; j < f; j++) row[j] = x.get(i * f + j);
            for (int j = 0; j < f; j++) assertEquals((row[j] - mean(row)) / Math.sqrt(variance(row) + LayerNorm.DEFAULT_EPS), l[i * f + j], 1e-12);
        }
    }

    @Test
    void dropoutDropsItsRateScalesTheRestAndIsTheIdentityAtInference() {
        int n = 200, f = 500;
        double rate = 0.25;
        Model m = new Model(new Net(new Dropout(rate)), Losses.mse(), new SGD(0), new SimdBackend(2), DType.F32, 9);
        Tensor x = Tensor.zeros(DType.F32, Shape.of(n, f));
        for (int i = 0; i < x.size(); i++) x.set(i, 1 + (i % 7));
        double[] y = m.forward(x).toDoubles();
        int dropped = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 0) dropped++;
            else assertEquals(x.get(i) / (1 - rate), y[i], 1e-5, "kept elements are scaled by 1/(1 - rate)");
        }
        // 100,000 elements: the dropped fraction's standard deviation is 0.0014, so ±0.01 is ~7σ.
        assertEquals(rate, (double) dropped / y.length, 0.01);
        assertArrayEquals(x.toDoubles(), m.predict(x).toDoubles(), "identity at inference");
        assertTrue(m.graph(x.shape()).nodes().stream().anyMatch(nd -> nd.op().type().equals("dropout")));
    }

    private static double[] channel(Tensor x, int ch) {
        int n = x.shape().dim(0), c = x.shape().dim(1), hw = x.shape().dim(2) * x.shape().dim(3);
        double[] s = new double[n * hw];
        for (int i = 0; i < n; i++) for (int k = 0; k < hw; k++) s[i * hw + k] = x.get((i * c + ch) * hw + k);
        return s;
    }

    private static double mean(double[] s) {
        double sum = 0;
        for (double v : s) sum += v;
        return sum / s.length;
    }

    /** Biased, as batch norm normalises with it. */
    private static double variance(double[] s) {
        double m = mean(s), sum = 0;
        for (double v : s) sum += (v - m) * (v - m);
        return sum / s.length;
    }

    private static Tensor oneHot(int rows, int classes, SplittableRandom r) {
        Tensor t = Tensor.zeros(DType.F64, Shape.of(rows, classes));
        for (int i = 0; i < rows; i++) t.set(i * classes + r.nextInt(classes), 1);
        return t;
    }

    private static void assertClose(String what, double[] want, double[] got) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-10 * Math.max(1, Math.abs(want[i])), what + "[" + i + "]");
    }
}
