package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import tinynn.graph.Autodiff;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Parameters;
import tinynn.runtime.Plan;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;

/** Buffer sharing and fusion change where values live, never what they are. */
class PlanTest {

    @Property(tries = 15)
    void sharedBuffersGiveTheSameValuesAsSeparatePlans(@ForAll @IntRange(min = 1, max = 8) int batch, @ForAll @IntRange(min = 1, max = 3) int depth,
                                                        @ForAll long seed) {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, batch, 5);
        Node y = g.placeholder("y", DType.F64, batch, 3);
        List<tinynn.ops.nn.Layer> layers = new ArrayList<>();
        for (int i = 0; i < depth; i++) { layers.add(new Dense(6)); layers.add(Activation.relu()); }
        layers.add(new Dense(3));
        Node logits = new Net(layers).build(x);
        Node loss = Losses.softmaxCrossEntropy().build(logits, y);
        Map<Node, Node> grads = Autodiff.gradients(loss, g.parameters());

        SplittableRandom rng = new SplittableRandom(seed);
        double[] xv = new double[batch * 5], yv = new double[batch * 3];
        for (int i = 0; i < xv.length; i++) xv[i] = rng.nextDouble(-1, 1);
        for (int r = 0; r < batch; r++) yv[r * 3 + rng.nextInt(3)] = 1;
        Parameters params = new Parameters(seed);

        List<Node> outputs = new ArrayList<>(grads.values());
        outputs.add(loss);
        outputs.add(logits);
        Plan shared = new Plan(new OjalgoBackend(), params, outputs);
        shared.feed(x, Tensor.wrap(x.shape(), xv));
        shared.run(logits);                       // forward first, as Model does
        shared.feed(y, Tensor.wrap(y.shape(), yv));
        shared.run(outputs.toArray(Node[]::new)); // then loss and gradients

        int computed = 0;
        for (Node n : g.nodes()) if (n.id() <= loss.id() || grads.containsValue(n)) computed++;
        assertTrue(shared.bufferCount() < computed, "buffers " + shared.bufferCount() + " for " + computed + " nodes");

        for (Node out : outputs) {
            Plan alone = new Plan(new OjalgoBackend(), params, List.of(out));
            if (out.id() > x.id()) alone.feed(x, Tensor.wrap(x.shape(), xv));
            try { alone.feed(y, Tensor.wrap(y.shape(), yv)); } catch (IllegalArgumentException unused) { /* logits do not need y */ }
            alone.run(out);
            assertArrayEquals(alone.value(out).toDoubles(), shared.value(out).toDoubles(), 0.0, out.name());
        }
    }

    @Property(tries = 10)
    void aValueWhoseBufferWasReusedIsRecomputed(@ForAll long seed) {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 4, 5);
        Node h = new Net(new Dense(5, 6), Activation.relu(), new Dense(6, 6), Activation.relu(), new Dense(6, 2)).build(x);
        Node loss = tinynn.ops.Ops.sumAll(tinynn.ops.Ops.mul(h, h));
        Node first = g.parameters().getFirst();
        Node grad = Autodiff.gradients(loss, List.of(first)).get(first);
        Parameters params = new Parameters(seed);
        Plan plan = new Plan(new OjalgoBackend(), params, List.of(grad, h));
        double[] xv = new SplittableRandom(seed).doubles(20, -1, 1).toArray();
        plan.feed(x, Tensor.wrap(x.shape(), xv));
        plan.run(grad);
        double[] expected = plan.value(grad).toDoubles();
        plan.run(h);       // may overwrite buffers the gradient's inputs lived in
        plan.run(grad);    // still valid
        assertArrayEquals(expected, plan.value(grad).toDoubles(), 0.0);
        Plan fresh = new Plan(new OjalgoBackend(), params, List.of(h));
        fresh.feed(x, Tensor.wrap(x.shape(), xv));
        fresh.run(h);
        assertArrayEquals(fresh.value(h).toDoubles(), plan.value(h).toDoubles(), 0.0);
        assertTrue(Shape.of(4, 2).equals(h.shape()));
    }
}
