package tinynn.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.reference.ReferenceBackend;

/** {@link Model#copyParametersFrom}: the copy predicts what the source does, and the two then evolve apart. */
class CopyParametersTest {

    static Model model(int hidden, long seed) {
        Net net = new Net(new Dense(3, hidden), Activation.relu(), new Dense(hidden, 2));
        return new Model(net, Losses.mse(), new Adam(0.05), new ReferenceBackend(), DType.F64, seed);
    }

    static Tensor random(Shape s, long seed) {
        Random r = new Random(seed);
        Tensor t = Tensor.zeros(DType.F64, s);
        for (int i = 0; i < s.size(); i++) t.set(i, r.nextGaussian());
        return t;
    }

    static double[] predict(Model m, Tensor x) { return m.predict(x).toDoubles(); }

    @Test void theCopyPredictsWhatTheSourceDoesEvenWithPlansCompiledBefore() {
        Model source = model(8, 1), copy = model(8, 2);
        Tensor x = random(Shape.of(5, 3), 3);
        double[] before = predict(copy, x); // compiles the copy's plan with its own parameters
        assertFalse(Arrays.equals(before, predict(source, x)), "different seeds should start apart");
        copy.copyParametersFrom(source);
        assertArrayEquals(predict(source, x), predict(copy, x), 0);
    }

    @Test void afterTheCopyTrainingTheSourceLeavesTheCopyAlone() {
        Model source = model(8, 1), copy = model(8, 2);
        Tensor x = random(Shape.of(5, 3), 3), y = random(Shape.of(5, 2), 4);
        source.trainStep(x, y);
        copy.copyParametersFrom(source);
        double[] copied = predict(copy, x);
        for (int i = 0; i < 5; i++) source.trainStep(x, y);
        assertFalse(Arrays.equals(copied, predict(source, x)), "the source should have moved on");
        assertArrayEquals(copied, predict(copy, x), 0);
    }

    @Test void anUnbuiltModelIsBuiltAtTheSourcesInputShape() {
        Model source = model(8, 1), copy = model(8, 2);
        Tensor x = random(Shape.of(4, 3), 5);
        double[] expected = predict(source, x);
        copy.copyParametersFrom(source);
        assertArrayEquals(expected, predict(copy, x), 0);
    }

    @Test void differentLayersOrAnUnbuiltSourceAreRefused() {
        Model source = model(8, 1);
        assertThrows(IllegalStateException.class, () -> model(8, 2).copyParametersFrom(source));
        source.build(Shape.of(1, 3));
        Model wider = model(16, 2);
        wider.build(Shape.of(1, 3));
        assertThrows(IllegalArgumentException.class, () -> wider.copyParametersFrom(source));
        Model deeper = new Model(new Net(new Dense(3, 8), Activation.relu(), new Dense(8, 2), new Dense(2, 2)), Losses.mse(),
                new Adam(0.05), new ReferenceBackend(), DType.F64, 2);
        assertThrows(IllegalArgumentException.class, () -> deeper.copyParametersFrom(source));
    }
}
