package tinynn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.BatchNorm;
import tinynn.ops.nn.Conv2dLayer;
import tinynn.ops.nn.ConvPadding;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Flatten;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;

/**
 * A plan run again after a feed recomputes only what depends on the input and keeps the rest (here batch norm's
 * running-statistics terms). Buffers are shared between nodes whose lifetimes are disjoint in a full run; the
 * partial run must not read a kept value that an earlier recomputed node has overwritten in their shared buffer.
 */
class PlanPartialRunTest {
    @Test
    void predictingTheSameBatchTwiceGivesTheSameOutputs() {
        Net net = new Net(new Conv2dLayer(8, 3, 1, ConvPadding.SAME), new BatchNorm(), Activation.relu(),
                new Conv2dLayer(8, 3, 1, ConvPadding.SAME), new BatchNorm(), Activation.relu(), new Flatten(), new Dense(10));
        Model model = new Model(net, Losses.softmaxCrossEntropy(), new Adam(3e-3), Backends.createDefault(), DType.F32, 1);
        Random rng = new Random(1);
        float[] x = new float[32 * 3 * 8 * 8], y = new float[32 * 10];
        for (int step = 0; step < 5; step++) { // trained, so the running statistics are no longer their initial values
            for (int i = 0; i < x.length; i++) x[i] = rng.nextFloat();
            java.util.Arrays.fill(y, 0);
            for (int i = 0; i < 32; i++) y[i * 10 + rng.nextInt(10)] = 1;
            model.trainStep(Tensor.wrap(Shape.of(32, 3, 8, 8), x), Tensor.wrap(Shape.of(32, 10), y));
        }
        float[] input = new float[64 * 3 * 8 * 8];
        for (int i = 0; i < input.length; i++) input[i] = rng.nextFloat();

        float[] first = model.predict(Tensor.wrap(Shape.of(64, 3, 8, 8), input.clone())).f32().clone();
        float[] again = model.predict(Tensor.wrap(Shape.of(64, 3, 8, 8), input.clone())).f32().clone();

        assertArrayEquals(first, again);
    }
}
