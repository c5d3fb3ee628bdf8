package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
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
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.optim.SGD;
import tinynn.runtime.reference.ReferenceBackend;

/** The training plan the benchmarks time: its fused and backward kernels, and one plan per batch size. */
class TrainingPlanTest {

    private static Net mnistMlp() {
        return new Net(new Dense(784, 400), Activation.relu(), new Dense(400, 100), Activation.relu(), new Dense(100, 10));
    }

    @Test
    void theMnistTrainingPlanUsesTheFusedAndBackwardKernels() {
        // Built as Model builds it: forward, loss, gradients of every parameter, one plan over all of them.
        Graph g = new Graph();
        Node x = g.placeholder("input", DType.F32, 128, 784);
        Node out = mnistMlp().build(x);
        Node y = g.placeholder("target", DType.F32, 128, 10);
        Node loss = Losses.softmaxCrossEntropy().build(out, y);
        Map<Node, Node> grads = Autodiff.gradients(loss, g.parameters());
        List<Node> outputs = new ArrayList<>(grads.values());
        outputs.add(loss);
        outputs.add(out);
        Map<String, Integer> kernels = new Plan(new ReferenceBackend(), new Parameters(1), outputs).kernelCounts();

        assertEquals(2, kernels.get("bias_relu"), "bias+ReLU fused in both hidden layers: " + kernels);
        assertEquals(2, kernels.get("relu_grad"), "one relu_grad per hidden layer: " + kernels);
        assertEquals(1, kernels.get("softmax_cross_entropy_grad"), kernels.toString());
        assertEquals(8, kernels.get("matmul"), "3 forward products, 3 weight gradients, 2 input gradients (none for the data): " + kernels);
        for (String slow : new String[] {"relu", "step", "softmax", "where"}) assertNull(kernels.get(slow), slow + " runs unfused: " + kernels);
    }

    @Test
    void trainingUsesOnePlanPerBatchSizeAndInferenceItsOwn() {
        Model model = new Model(new Net(new Dense(6, 5), Activation.relu(), new Dense(5, 3)), Losses.softmaxCrossEntropy(),
                new SGD(0.1), new ReferenceBackend(), DType.F64, 4);
        Tensor x = Tensor.zeros(DType.F64, Shape.of(4, 6)), t = Tensor.zeros(DType.F64, Shape.of(4, 3));
        for (int r = 0; r < 4; r++) t.set(r * 3 + r % 3, 1);
        model.trainStep(x, t);
        model.trainStep(x, t);
        assertEquals(1, model.planCount(), "trainStep builds the training plan only");
        model.forward(Tensor.zeros(DType.F64, Shape.of(9, 6)));
        assertEquals(2, model.planCount(), "inference at another batch size gets a forward-only plan");
        model.backward(model.forward(x), t);
        assertEquals(2, model.planCount(), "forward then backward at a trained batch size reuses its training plan");
        model.backward(model.forward(Tensor.zeros(DType.F64, Shape.of(9, 6))), Tensor.zeros(DType.F64, Shape.of(9, 3)));
        assertEquals(2, model.planCount(), "the first backward at batch 9 replaces its forward-only plan");
    }

    @Test
    void boundOptimizerStepsEqualStepsByName() {
        // trainStep runs the optimizer bound to the plan's buffers; applyGrad with a copied map looks them up by name.
        // Both must give the same parameters, also after restore() replaces the optimizer's slot tensors.
        Model bound = model(), byName = model();
        SplittableRandom rng = new SplittableRandom(5);
        for (int step = 0; step < 6; step++) {
            Tensor x = Tensor.zeros(DType.F64, Shape.of(5, 6)), t = Tensor.zeros(DType.F64, Shape.of(5, 3));
            for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble(-1, 1));
            for (int r = 0; r < 5; r++) t.set(r * 3 + rng.nextInt(3), 1);
            if (step == 3) {
                // Fresh moments, as a resumed run loads them: the bound step must pick up the new tensors.
                Map<String, Map<String, Tensor>> slots = new java.util.HashMap<>();
                for (String slot : byName.optimizer().slots().keySet()) {
                    Map<String, Tensor> fresh = new java.util.HashMap<>();
                    byName.optimizer().slots().get(slot).forEach((p, v) -> fresh.put(p, Tensor.zeros(v.dtype(), v.shape())));
                    slots.put(slot, fresh);
                }
                bound.optimizer().restore(1, slots);
                byName.optimizer().restore(1, slots);
            }
            double l = bound.trainStep(x, t);
            Model.Grads g = byName.backward(byName.forward(x), t);
            byName.applyGrad(new Model.Grads(g.loss(), Map.copyOf(g.grads())));
            assertEquals(g.loss(), l, 0.0, "loss at step " + step);
        }
        for (var e : byName.parameters().asMap().entrySet()) {
            assertArrayEquals(e.getValue().toDoubles(), bound.parameters().get(e.getKey()).toDoubles(), 0.0, e.getKey());
        }
    }

    private static Model model() {
        return new Model(new Net(new Dense(6, 5), Activation.relu(), new Dense(5, 3)), Losses.softmaxCrossEntropy(),
                new Adam(0.05), new ReferenceBackend(), DType.F64, 9);
    }
}
