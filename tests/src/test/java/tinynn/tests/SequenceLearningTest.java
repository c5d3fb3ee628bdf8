package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Embedding;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.AccEvaluator;
import tinynn.runtime.model.Batch;
import tinynn.runtime.model.BatchIterator;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.runtime.simd.SimdBackend;

/**
 * Sequence plumbing end to end: embedding → dense(vocab) learns a next-token rule from [N, T] ids and [N, T]
 * targets on every backend, accuracy is counted per position, and dense on [N, T, F] is dense on each position.
 */
class SequenceLearningTest {

    static final int VOCAB = 7, T = 6;

    /** The toy language: the token after k is (3k + 1) mod 7, so each position's next token depends on it alone. */
    static int next(int k) { return (3 * k + 1) % VOCAB; }

    /** n sequences of T tokens from random starts, and the same sequences shifted by one (the next tokens). */
    static Tensor[] sequences(int n, DType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(dtype, Shape.of(n, T)), y = Tensor.zeros(dtype, Shape.of(n, T));
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(VOCAB);
            for (int t = 0; t < T; t++) {
                x.set(i * T + t, k);
                k = next(k);
                y.set(i * T + t, k);
            }
        }
        return new Tensor[] {x, y};
    }

    private static List<Supplier<Backend>> backends() {
        return List.of(ReferenceBackend::new, OjalgoBackend::new, () -> new SimdBackend(2));
    }

    @Test
    void embeddingThenDenseLearnsTheNextTokenOnEveryBackend() {
        for (Supplier<Backend> make : backends()) {
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                Backend backend = make.get();
                Tensor[] data = sequences(64, dtype, 3);
                Model model = new Model(new Net(new Embedding(VOCAB, 8), new Dense(VOCAB)), Losses.softmaxCrossEntropy(), new Adam(0.05),
                        backend, dtype, 11);
                BatchIterator it = new BatchIterator(16, true, 5);
                double first = Double.NaN, last = Double.NaN;
                for (int epoch = 0; epoch < 25; epoch++) {
                    double sum = 0;
                    int steps = 0;
                    for (Batch b : it.over(data[0], data[1])) {
                        sum += model.trainStep(b.inputs(), b.targets());
                        steps++;
                    }
                    last = sum / steps;
                    if (epoch == 0) first = last;
                }
                String what = backend.name() + " " + dtype;
                assertTrue(first > 1.0, what + ": the untrained loss " + first + " should be near log 7 or above");
                assertTrue(last < 0.05, what + ": loss " + first + " -> " + last);
                Tensor[] test = sequences(10, dtype, 99);
                AccEvaluator.Result acc = new AccEvaluator().evaluate(model.predict(test[0]), test[1]);
                assertEquals(10 * T, acc.totalNum(), what + ": accuracy counts every position");
                assertEquals(1.0, acc.accuracy(), what);
            }
        }
    }

    @Test
    void theTrainerRunsOnIdTargets() {
        Tensor[] data = sequences(64, DType.F32, 3);
        Model model = new Model(new Net(new Embedding(VOCAB, 8), new Dense(VOCAB)), Losses.softmaxCrossEntropy(), new Adam(0.05),
                new SimdBackend(1), DType.F32, 11);
        new tinynn.runtime.train.Trainer(model, 16).run(data[0], data[1], 10);
        assertEquals(10, model.history().size());
        double first = model.history().getFirst().trainLoss(), last = model.history().getLast().trainLoss();
        assertTrue(last < first / 4, "loss " + first + " -> " + last);
    }

    @Test
    void theTargetPlaceholderTakesClassIdsPerPosition() {
        Model model = new Model(new Net(new Embedding(VOCAB, 4), new Dense(VOCAB)), Losses.softmaxCrossEntropy(), new Adam(0.01),
                new ReferenceBackend(), DType.F64, 1);
        Node target = model.graph(Shape.of(3, T)).placeholders().stream().filter(p -> p.name().equals("target")).findFirst().orElseThrow();
        assertEquals(Shape.of(3, T), target.shape());
        Model mse = new Model(new Net(new Embedding(VOCAB, 4), new Dense(VOCAB)), Losses.mse(), new Adam(0.01), new ReferenceBackend(), DType.F64, 1);
        Node full = mse.graph(Shape.of(3, T)).placeholders().stream().filter(p -> p.name().equals("target")).findFirst().orElseThrow();
        assertEquals(Shape.of(3, T, VOCAB), full.shape());
    }

    @Test
    void accuracyIsPerPosition() {
        // Scores [2, 2, 3]: argmax per position 2, 0, 1, 1; ids [[2, 0], [0, 1]]: three of four right.
        Tensor scores = Tensor.of(DType.F32, Shape.of(2, 2, 3), 0, 1, 5, 9, 1, 1, 0, 3, 2, 1, 4, 0);
        Tensor ids = Tensor.of(DType.F32, Shape.of(2, 2), 2, 0, 0, 1);
        AccEvaluator.Result r = new AccEvaluator().evaluate(scores, ids);
        assertEquals(new AccEvaluator.Result(4, 3, 0.75), r);
        assertArrayEquals(new int[] {2, 0, 1, 1}, scores.argmaxLastAxis());
        // One-hot targets like the scores, and the 2-D case, count the same way.
        Tensor onehot = Tensor.of(DType.F32, Shape.of(2, 2, 3), 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0);
        assertEquals(r, new AccEvaluator().evaluate(scores, onehot));
        assertEquals(new AccEvaluator.Result(4, 3, 0.75), new AccEvaluator().evaluate(scores.view(Shape.of(4, 3)), ids.view(Shape.of(4))));
        assertThrows(IllegalArgumentException.class, () -> new AccEvaluator().evaluate(scores, Tensor.zeros(DType.F32, Shape.of(2, 3))));
    }

    @Test
    void denseOnSequencesIsDenseOnEachPosition() {
        SplittableRandom rng = new SplittableRandom(4);
        Tensor x3 = Tensor.zeros(DType.F32, Shape.of(3, 5, 9));
        for (int i = 0; i < x3.size(); i++) x3.set(i, rng.nextDouble(-1, 1));
        for (Supplier<Backend> make : backends()) {
            Model seq = new Model(new Net(new Dense(4)), Losses.mse(), new Adam(0.01), make.get(), DType.F32, 8);
            Model flat = new Model(new Net(new Dense(4)), Losses.mse(), new Adam(0.01), make.get(), DType.F32, 8);
            Tensor y3 = seq.predict(x3);
            assertEquals(Shape.of(3, 5, 4), y3.shape());
            flat.build(Shape.of(15, 9));
            flat.parameters().asMap().forEach((name, t) -> t.copyFrom(seq.parameters().asMap().get(name)));
            assertArrayEquals(flat.predict(x3.view(Shape.of(15, 9))).toDoubles(), y3.toDoubles(), 1e-6, make.get().name());
        }
    }
}
