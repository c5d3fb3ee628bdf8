package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.BatchNorm;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Dropout;
import tinynn.ops.nn.Flatten;
import tinynn.ops.nn.LayerNorm;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.simd.SimdBackend;

/**
 * With batch norm, layer norm and dropout a training step still allocates (next to) nothing: the random state is
 * fed from one preallocated tensor and the state updates copy between plan buffers (measured as in
 * {@link SteadyStateAllocationTest}).
 */
class NormalizationAllocationTest {

    @Test
    void aTrainingStepWithStateAndMasksAllocatesAlmostNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Model model = new Model(new Net(new BatchNorm(), new Flatten(), new Dense(48), new LayerNorm(), new BatchNorm(),
                Activation.relu(), new Dropout(0.2), new Dense(10)), Losses.softmaxCrossEntropy(), new Adam(1e-3), new SimdBackend(1), DType.F32, 3);
        SplittableRandom rng = new SplittableRandom(3);
        Tensor x = Tensor.zeros(DType.F32, Shape.of(32, 4, 4, 4)), y = Tensor.zeros(DType.F32, Shape.of(32, 10));
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble());
        for (int r = 0; r < 32; r++) y.set(r * 10 + rng.nextInt(10), 1);
        for (int i = 0; i < 2000; i++) model.trainStep(x, y);

        int steps = 200;
        long best = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int window = 0; window < 400 && best >= 128 && System.nanoTime() < deadline; window++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < steps; i++) model.trainStep(x, y);
            best = Math.min(best, (threads.getCurrentThreadAllocatedBytes() - before) / steps);
        }
        assertTrue(best < 128, "a training step allocated " + best + " bytes in the best of its measured windows");
    }
}
