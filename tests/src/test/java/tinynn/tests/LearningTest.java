package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.AccEvaluator;
import tinynn.runtime.model.Batch;
import tinynn.runtime.model.BatchIterator;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;

/** The article's training loop on generated spirals: loss falls and accuracy rises, in seconds. */
class LearningTest {

    /** Three interleaved spirals: not linearly separable, so the hidden layers must learn. */
    static Tensor[] spirals(int perClass, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = perClass * 3;
        float[] x = new float[n * 2], y = new float[n * 3];
        for (int c = 0, i = 0; c < 3; c++) {
            for (int k = 0; k < perClass; k++, i++) {
                double r = (double) k / perClass;
                double t = c * 4 + 4 * r + rng.nextGaussian() * 0.2;
                x[2 * i] = (float) (r * Math.sin(t));
                x[2 * i + 1] = (float) (r * Math.cos(t));
                y[3 * i + c] = 1;
            }
        }
        return new Tensor[] {Tensor.wrap(Shape.of(n, 2), x), Tensor.wrap(Shape.of(n, 3), y)};
    }

    @Test
    void lossFallsAndAccuracyRises() {
        Tensor[] data = spirals(200, 1);
        Model model = new Model(new Net(new Dense(2, 64), Activation.relu(), new Dense(64, 64), Activation.relu(), new Dense(64, 3)),
                Losses.softmaxCrossEntropy(), new Adam(0.01), new OjalgoBackend(), DType.F32, 42);
        BatchIterator it = new BatchIterator(32, true, 7);
        int[] labels = data[1].argmaxRows();
        double firstLoss = epoch(model, it, data), lastLoss = firstLoss;
        double before = new AccEvaluator().evaluate(model.forward(data[0]).argmaxRows(), labels).accuracy();
        for (int e = 0; e < 60; e++) lastLoss = epoch(model, it, data);
        double after = new AccEvaluator().evaluate(model.forward(data[0]).argmaxRows(), labels).accuracy();
        assertTrue(lastLoss < firstLoss / 4, "loss " + firstLoss + " -> " + lastLoss);
        assertTrue(after > 0.95 && after > before + 0.2, "accuracy " + before + " -> " + after);
    }

    private static double epoch(Model model, BatchIterator it, Tensor[] data) {
        double sum = 0;
        int batches = 0;
        for (Batch b : it.over(data[0], data[1])) {
            sum += model.trainStep(b.inputs(), b.targets());
            batches++;
        }
        return sum / batches;
    }
}
