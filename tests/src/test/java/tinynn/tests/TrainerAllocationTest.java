package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Batch;
import tinynn.runtime.model.BatchIterator;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.simd.SimdBackend;
import tinynn.runtime.train.Outcome;
import tinynn.runtime.train.Trainer;
import tinynn.runtime.train.TrainingListener;

/** The Trainer's loop adds nothing to a training step's allocation: its per-step bookkeeping is primitives. */
class TrainerAllocationTest {

    @Test
    void aTrainerStepAllocatesAlmostNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Model model = new Model(new Net(new Dense(16, 12), Activation.relu(), new Dense(12, 10)),
                Losses.softmaxCrossEntropy(), new Adam(1e-3), new SimdBackend(1), DType.F32, 3);
        int n = 4000, batch = 2; // 2000 steps an epoch, so the per-epoch shuffle (16 kB) is 8 bytes a step
        SplittableRandom rng = new SplittableRandom(3);
        Tensor x = Tensor.zeros(DType.F32, Shape.of(n, 16)), y = Tensor.zeros(DType.F32, Shape.of(n, 10));
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble());
        for (int r = 0; r < n; r++) y.set(r * 10 + rng.nextInt(10), 1);
        long[] steps = {0};
        Trainer trainer = new Trainer(model, batch).listener(new TrainingListener() {
            @Override public void stepped(int epoch, int step, double loss, double meanLoss) { steps[0]++; }
        });
        assertInstanceOf(Outcome.Completed.class, trainer.run(x, y, 2)); // compile the plans, warm the JIT

        // The same epochs as a bare loop of trainStep calls: what the Trainer adds is the difference.
        BatchIterator it = new BatchIterator(batch, true, model.parameters().seed());
        // The best of several epochs of each, as in SteadyStateAllocationTest (until C2 has compiled them, loops allocate).
        // No early exit: both bests must have settled before they are compared.
        long bestTrainer = Long.MAX_VALUE, bestBare = Long.MAX_VALUE;
        for (int epochs = 3; epochs < 23; epochs++) {
            long before = threads.getCurrentThreadAllocatedBytes(), stepsBefore = steps[0];
            trainer.run(x, y, epochs);
            bestTrainer = Math.min(bestTrainer, (threads.getCurrentThreadAllocatedBytes() - before) / (steps[0] - stepsBefore));
            before = threads.getCurrentThreadAllocatedBytes();
            int bare = 0;
            for (Batch b : it.over(x, y)) {
                model.trainStep(b.inputs(), b.targets());
                bare++;
            }
            bestBare = Math.min(bestBare, (threads.getCurrentThreadAllocatedBytes() - before) / bare);
        }
        // One record per step (an EpochPosition, an event) would add 24 bytes or more.
        assertTrue(bestTrainer - bestBare < 16, "a Trainer step allocated " + bestTrainer + " bytes, a bare trainStep " + bestBare);
    }
}
