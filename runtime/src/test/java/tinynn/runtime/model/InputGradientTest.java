package tinynn.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.runtime.Tensor;
import tinynn.runtime.optim.SGD;

/**
 * Two models chained through {@link Model#inputGradient()} and {@link Losses#dot()} get the gradients of the
 * composed function, checked against central differences in float64.
 */
class InputGradientTest {
    static final double H = 1e-6;

    static Model model(Net net, tinynn.ops.loss.Loss loss, long seed) {
        return new Model(net, loss, new SGD(0.1), new ReferenceBackend(), DType.F64, seed);
    }

    static Tensor random(Shape s, long seed) {
        Random r = new Random(seed);
        Tensor t = Tensor.zeros(DType.F64, s);
        for (int i = 0; i < s.size(); i++) t.set(i, r.nextGaussian());
        return t;
    }

    /** L(x) = mse(B(A(x)), y) computed with the models' inference plans (no dropout or batch norm here). */
    static double composed(Model a, Model b, Tensor x, Tensor y) {
        Tensor h = a.predict(x).copy();
        Tensor p = b.predict(h);
        double s = 0;
        for (int i = 0; i < p.shape().size(); i++) s += 0.5 * Math.pow(p.get(i) - y.get(i), 2);
        return s / x.shape().dim(0);
    }

    @Test
    void chainedModelsGetTheComposedGradients() {
        Model a = model(new Net(new Dense(3, 5), Activation.tanh()), Losses.dot(), 1);
        Model b = model(new Net(new Dense(5, 4), Activation.tanh(), new Dense(4, 2)), Losses.mse(), 2).withInputGradient();
        Tensor x = random(Shape.of(4, 3), 3), y = random(Shape.of(4, 2), 4);

        Tensor h = a.forward(x);
        Tensor hb = b.forward(h);
        Model.Grads gb = b.backward(hb, y);
        Tensor dh = b.inputGradient();
        Model.Grads ga = a.backward(h, dh);

        assertEquals(composed(a, b, x, y), gb.loss(), 1e-12);
        // d(L)/d(h): perturb the hidden activations directly.
        Tensor hc = a.predict(x).copy();
        for (int i = 0; i < hc.shape().size(); i++) {
            double v = hc.get(i);
            hc.set(i, v + H);
            double up = lossAt(b, hc, y);
            hc.set(i, v - H);
            double down = lossAt(b, hc, y);
            hc.set(i, v);
            assertEquals((up - down) / (2 * H), dh.get(i), 1e-7, "d(loss)/d(h)[" + i + "]");
        }
        // d(L)/d(A's parameters) through the chain.
        for (var e : ga.grads().entrySet()) {
            Tensor w = a.parameters().get(e.getKey());
            for (int i = 0; i < w.shape().size(); i++) {
                double v = w.get(i);
                w.set(i, v + H);
                double up = composedFresh(a, b, x, y);
                w.set(i, v - H);
                double down = composedFresh(a, b, x, y);
                w.set(i, v);
                assertEquals((up - down) / (2 * H), e.getValue().get(i), 1e-7, e.getKey() + "[" + i + "]");
            }
        }
    }

    /**
     * A generator with batch norm (a GAN's) learns through the chain in training mode: forward normalises with the
     * batch's statistics, and backward differentiates through them, so its gradients are those of the composed
     * function with batch statistics, not running ones.
     */
    @Test
    void chainThroughBatchNormUsesTheBatchStatistics() {
        Net generator = new Net(new Dense(3, 4), new tinynn.ops.nn.BatchNorm(), Activation.tanh());
        Model a = model(generator, Losses.dot(), 1);
        Model b = model(new Net(new Dense(4, 2)), Losses.mse(), 2).withInputGradient();
        Tensor x = random(Shape.of(5, 3), 3), y = random(Shape.of(5, 2), 4);

        Tensor h = a.forward(x);
        Tensor hb = b.forward(h);
        b.backward(hb, y);
        Model.Grads ga = a.backward(h, b.inputGradient());

        for (var e : ga.grads().entrySet()) {
            Tensor w = a.parameters().get(e.getKey());
            for (int i = 0; i < w.shape().size(); i++) {
                double v = w.get(i);
                w.set(i, v + H);
                double up = composedTraining(a, b, x, y);
                w.set(i, v - H);
                double down = composedTraining(a, b, x, y);
                w.set(i, v);
                assertEquals((up - down) / (2 * H), e.getValue().get(i), 1e-7, e.getKey() + "[" + i + "]");
            }
        }
        // The step's running statistics reach the model only with applyGrad, as for any training step.
        Tensor runningMean = a.parameters().get("batch_norm1.running_mean").copy();
        a.applyGrad(ga);
        boolean moved = false;
        for (int i = 0; i < runningMean.size(); i++) moved |= runningMean.get(i) != a.parameters().get("batch_norm1.running_mean").get(i);
        org.junit.jupiter.api.Assertions.assertTrue(moved, "applyGrad left the running mean as it was");
    }

    /** The composed loss with A in training mode (batch statistics), on a fresh copy of A sharing its parameters. */
    private static double composedTraining(Model a, Model b, Tensor x, Tensor y) {
        Model c = copyOf(a);
        return lossAt(b, c.forward(x).copy(), y);
    }

    @Test
    void inputGradientMustBeAskedForBeforeTraining() {
        Model m = model(new Net(new Dense(2, 2)), Losses.mse(), 1);
        Tensor x = random(Shape.of(2, 2), 1);
        m.trainStep(x, random(Shape.of(2, 2), 2));
        assertThrows(IllegalStateException.class, m::inputGradient);
        assertThrows(IllegalStateException.class, m::withInputGradient);
    }

    private static double lossAt(Model b, Tensor h, Tensor y) {
        Tensor p = b.predict(h);
        double s = 0;
        for (int i = 0; i < p.shape().size(); i++) s += 0.5 * Math.pow(p.get(i) - y.get(i), 2);
        return s / h.shape().dim(0);
    }

    /** As {@link #composed} on fresh models sharing the parameters, since plans cache values between steps. */
    private static double composedFresh(Model a, Model b, Tensor x, Tensor y) {
        return composed(copyOf(a), b, x, y);
    }

    private static Model copyOf(Model a) {
        Model c = model(a.net(), Losses.dot(), 9);
        c.build(a.inputShape());
        for (var e : a.parameters().asMap().entrySet()) c.parameters().put(e.getKey(), e.getValue().copy());
        return c;
    }
}
