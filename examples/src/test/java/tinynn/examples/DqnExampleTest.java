package tinynn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.SGD;
import tinynn.runtime.reference.ReferenceBackend;

/** The quick DQN run learns to balance: its greedy return clears a line that random and untrained policies stay under. */
class DqnExampleTest {
    /**
     * Random actions last about 22 steps and an untrained net's greedy policy about 10 (it pushes one way);
     * the quick run reaches 160-200 on seeds 1-4. 60 is well clear of both sides.
     */
    static final double LEARNT = 60;

    @Test void theQuickRunBalancesThePoleFarLongerThanRandomOrUntrainedPolicies(@TempDir Path out) throws Exception {
        StringWriter log = new StringWriter();
        ExampleOptions options = ExampleOptions.DEFAULTS.withQuick(true).withOutDir(out).withThreads(1);
        ExampleResult r = Examples.run(Examples.named("dqn"), options, new PrintWriter(log));
        double learnt = r.get("average_return");
        assertTrue(learnt > LEARNT, "greedy return after quick training " + learnt + "\n" + log);
        assertTrue(r.get("training_steps") >= r.get("training_episodes"));

        double untrained = DqnExample.averageReturn(DqnExample.qNetwork(new ReferenceBackend(), ExampleContext.DEFAULT_SEED), 100, 99);
        assertTrue(untrained < LEARNT, "an untrained net's greedy return " + untrained);
        double random = CartPoleTest.randomPolicyReturn(99, 99, 100);
        assertTrue(random < LEARNT, "a random policy's return " + random);
    }

    /**
     * The taken-action loss is Huber on Q(s, a) alone: values written at the other action do not change it, and that
     * action's output gets no gradient. Net: one Dense 4 → 2, so d(loss)/d(bias) is d(loss)/d(Q) summed over rows.
     */
    @Test void theLossSeesOnlyTheTakenAction() {
        Model q = new Model(new Net(new Dense(4, 2)), DqnExample.takenActionLoss(), new SGD(0.1), new ReferenceBackend(), DType.F64, 3);
        Tensor states = Tensor.of(DType.F64, Shape.of(2, 4), 0.1, -0.2, 0.3, 0.05, -0.1, 0.4, 0.0, 0.2);
        Tensor out = q.predict(states).copy();
        // Both rows took action 0 with targets 0.5 (row 0) and Q + 3 (row 1, beyond Huber's delta 1: linear part).
        double y0 = 0.5, y1 = out.get(2) + 3;
        Tensor targets = Tensor.of(DType.F64, Shape.of(2, 4), y0, 0, 1, 0, y1, 0, 1, 0);
        Tensor garbage = Tensor.of(DType.F64, Shape.of(2, 4), y0, 42, 1, 0, y1, -7, 1, 0);
        double e0 = Math.abs(out.get(0) - y0);
        double expected = ((e0 <= 1 ? 0.5 * e0 * e0 : e0 - 0.5) + (3 - 0.5)) / 2;

        Model.Grads g = q.backward(q.forward(states), targets);
        assertEquals(expected, g.loss(), 1e-12);
        Tensor bias = g.grads().get("dense0.b");
        assertEquals(0, bias.get(1), 0, "the untaken action's output gets no gradient");
        assertNotEquals(0, bias.get(0), "the taken action's output does");
        assertEquals(expected, q.backward(q.forward(states), garbage).loss(), 1e-12);
    }
}
