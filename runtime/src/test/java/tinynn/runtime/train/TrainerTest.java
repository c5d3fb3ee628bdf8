package tinynn.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.EpochPosition;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;

class TrainerTest {
    static final int N = 50, BATCH = 8; // 7 steps per epoch, the last one short

    static final Tensor X = Tensor.zeros(DType.F64, Shape.of(N, 4)), Y = Tensor.zeros(DType.F64, Shape.of(N, 3));

    static {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < X.size(); i++) X.set(i, r.nextDouble(-1, 1));
        for (int i = 0; i < N; i++) Y.set(i * 3 + (X.get(i * 4) > 0 ? 0 : X.get(i * 4 + 1) > 0 ? 1 : 2), 1);
    }

    static Model model(double lr) {
        return new Model(new Net(new Dense(4, 6), Activation.relu(), new Dense(6, 3)), Losses.softmaxCrossEntropy(),
                new Adam(lr), new OjalgoBackend(), DType.F64, 5);
    }

    static double[] params(Model m) {
        return m.parameters().asMap().values().stream().flatMapToDouble(t -> {
            double[] v = new double[t.size()];
            for (int i = 0; i < v.length; i++) v[i] = t.get(i);
            return java.util.Arrays.stream(v);
        }).toArray();
    }

    /** Stops the run after step {@code at} of epoch {@code epoch}. */
    static TrainingListener stopAt(Trainer t, int epoch, int at) {
        return new TrainingListener() {
            @Override public void stepped(int e, int step, double loss, double mean) {
                if (e == epoch && step == at) t.requestStop();
            }
        };
    }

    @Test void listenersSeeEveryEpochAndStepAndTheModelRecordsEachEpoch() {
        Model m = model(1e-2);
        List<String> events = new ArrayList<>();
        Trainer t = new Trainer(m, BATCH).evaluator((model, guard) -> new Trainer.Score(0.5, 0.75));
        t.listener(new TrainingListener() {
            @Override public void epochStarted(int epoch, int epochs, int steps, int skipped) { events.add("start " + epoch + "/" + epochs + " " + steps); }
            @Override public void stepped(int epoch, int step, double loss, double mean) { events.add("step " + step); }
            @Override public void epochTrained(int epoch) { events.add("trained " + epoch); }
            @Override public void epochEnded(Model model, EpochMetrics metrics) {
                assertTrue(Thread.holdsLock(t.guard()), "epochEnded holds the guard");
                events.add("end " + metrics.epoch() + " " + model.epoch() + " " + metrics.testAccuracy());
            }
        });
        assertInstanceOf(Outcome.Completed.class, t.run(X, Y, 2));
        assertEquals(2 * (1 + 7 + 2), events.size(), events::toString);
        assertEquals(List.of("start 0/2 7", "step 1"), events.subList(0, 2));
        assertEquals(List.of("step 7", "trained 0", "end 0 1 0.75", "start 1/2 7"), events.subList(7, 11));
        assertEquals(2, m.history().size());
        assertEquals(14, m.globalStep());
        assertEquals(BATCH, m.batchSize());
        assertEquals(EpochPosition.START, m.epochPosition());
        assertTrue(m.initialLoss() > 0 && Double.isFinite(m.initialLoss()));
    }

    @Test void aStoppedRunResumedByAnotherTrainerEndsBitIdenticalWithTheWholeEpochsLoss() {
        Model straight = model(1e-2);
        new Trainer(straight, BATCH).run(X, Y, 3);

        Model cut = model(1e-2);
        Trainer first = new Trainer(cut, BATCH);
        first.listener(stopAt(first, 1, 3));
        Outcome o = first.run(X, Y, 3);
        assertEquals(new Outcome.Stopped(1, 3), o);
        assertEquals(1, cut.epoch());
        EpochPosition p = cut.epochPosition();
        assertEquals(3, p.step());
        assertEquals(3, p.lossSteps());

        List<Integer> skipped = new ArrayList<>();
        Trainer second = new Trainer(cut, BATCH).listener(new TrainingListener() {
            @Override public void epochStarted(int epoch, int epochs, int steps, int skip) { skipped.add(skip); }
        });
        assertInstanceOf(Outcome.Completed.class, second.run(X, Y, 3));
        assertEquals(List.of(3, 0), skipped);
        assertArrayEquals(params(straight), params(cut));
        assertEquals(straight.globalStep(), cut.globalStep());
        for (int e = 0; e < 3; e++) assertEquals(straight.history().get(e).trainLoss(), cut.history().get(e).trainLoss(), 0);
    }

    @Test void anotherBatchSizeStartsTheInterruptedEpochOver() {
        Model m = model(1e-2);
        Trainer first = new Trainer(m, BATCH);
        first.listener(stopAt(first, 0, 2));
        first.run(X, Y, 1);
        List<Integer> skipped = new ArrayList<>();
        new Trainer(m, 10).listener(new TrainingListener() {
            @Override public void epochStarted(int epoch, int epochs, int steps, int skip) { skipped.add(skip); }
        }).run(X, Y, 1);
        assertEquals(List.of(0), skipped);
        assertEquals(2 + 5, m.globalStep());
        assertEquals(10, m.batchSize());
    }

    @Test void aDivergingLossEndsTheRunWithoutRecordingTheEpoch() {
        Model m = model(1e-2);
        new Trainer(m, BATCH).run(X, Y, 1);
        m.initialLoss(1e-3); // as if the run had started from a loss this low: epoch 2's mean is far above 10 times it
        Trainer t = new Trainer(m, BATCH);
        Outcome o = t.run(X, Y, 2);
        Outcome.Diverged d = assertInstanceOf(Outcome.Diverged.class, o);
        assertEquals(1, d.epoch());
        assertEquals(1e-3, d.reference());
        assertTrue(d.trainLoss() > Divergence.FACTOR * 1e-3);
        assertEquals(1, m.epoch(), "the diverged epoch is not recorded");
        synchronized (t.guard()) {
            assertTrue(t.diverging());
        }
    }

    @Test void aNonFiniteLossStopsAtItsStep() {
        Model m = model(1e-2);
        Tensor x = X.copy();
        x.set(4 * 4, Double.NaN);
        Trainer t = new Trainer(m, N);
        Outcome.NonFiniteLoss f = assertInstanceOf(Outcome.NonFiniteLoss.class, t.run(x, Y, 1));
        assertEquals(0, f.epoch());
        assertEquals(1, f.step());
        assertTrue(Double.isNaN(f.loss()));
        synchronized (t.guard()) {
            assertTrue(t.diverging());
        }
    }

    @Test void theDivergenceRule() {
        assertTrue(Divergence.diverged(Double.NaN, 1));
        assertTrue(Divergence.diverged(Double.POSITIVE_INFINITY, Double.NaN));
        assertTrue(Divergence.diverged(10.5, 1));
        assertTrue(!Divergence.diverged(10, 1) && !Divergence.diverged(1e9, Double.NaN));
    }
}
