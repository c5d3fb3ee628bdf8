package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Embedding;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.simd.SimdBackend;

/**
 * A sequence model's training step (embedding's gather and scatter_add, dense on [N, T, F], the sequence loss's
 * one-hot from [N, T] ids) allocates (next to) nothing once compiled, as the MLP's does (SteadyStateAllocationTest).
 */
class SequenceAllocationTest {

    @Test
    void anEmbeddingTrainingStepAllocatesAlmostNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Model model = new Model(new Net(new Embedding(SequenceLearningTest.VOCAB, 16), new Dense(24), Activation.relu(),
                new Dense(SequenceLearningTest.VOCAB)), Losses.softmaxCrossEntropy(), new Adam(1e-3), new SimdBackend(1), DType.F32, 3);
        Tensor[] data = SequenceLearningTest.sequences(16, DType.F32, 3);
        for (int i = 0; i < 2000; i++) model.trainStep(data[0], data[1]);   // compile the plans

        // As in SteadyStateAllocationTest: windows until one is clean (C2 has compiled the kernels); a per-step buffer shows in every window.
        int steps = 200;
        long best = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int window = 0; window < 400 && best >= 128 && System.nanoTime() < deadline; window++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < steps; i++) model.trainStep(data[0], data[1]);
            best = Math.min(best, (threads.getCurrentThreadAllocatedBytes() - before) / steps);
        }
        // The smallest buffer of this net (the [16, 6] ids) is 384 bytes.
        assertTrue(best < 128, "an embedding training step allocated " + best + " bytes in the best of its measured windows");
    }
}
