package tinynn.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.MonitorState;

/** Validation scores in the history, the monitor's best / patience count, and its resumption. */
class EarlyStoppingTest {

    /** A validation evaluator that reports {@code losses[epoch]} (accuracy 1 - loss). */
    static Trainer.Evaluator scripted(double... losses) {
        return (m, guard) -> new Trainer.Score(losses[m.epoch()], 1 - losses[m.epoch()]);
    }

    static List<Integer> improvedEpochs(Trainer t) {
        List<Integer> l = new ArrayList<>();
        t.listener(new TrainingListener() {
            @Override public void improved(Model model, EpochMetrics metrics) { l.add(metrics.epoch()); }
        });
        return l;
    }

    static final double[] LOSSES = {1.0, 0.8, 0.9, 0.85, 0.95, 0.5, 0.4};

    @Test void stopsAfterPatienceEpochsWithoutImprovementOfTheValidationLoss() {
        Model m = TrainerTest.model(1e-2);
        Trainer t = new Trainer(m, TrainerTest.BATCH).validation(scripted(LOSSES))
                .monitor(new Monitor(Monitor.Metric.VAL_LOSS, 3, 0));
        List<Integer> improved = improvedEpochs(t);
        Outcome o = t.run(TrainerTest.X, TrainerTest.Y, LOSSES.length);
        Outcome.EarlyStopped e = assertInstanceOf(Outcome.EarlyStopped.class, o);
        assertEquals(4, e.epoch());
        assertEquals(1, e.bestEpoch());
        assertEquals(0.8, e.best());
        assertEquals(5, m.epoch());
        assertEquals(List.of(0, 1), improved);
        assertEquals(0.95, m.history().get(4).valLoss());
        assertEquals(1 - 0.95, m.history().get(4).valAccuracy());
        assertTrue(Double.isNaN(m.history().get(4).testLoss()), "no test evaluator: test loss is not measured");
        assertEquals(new MonitorState("val_loss", 0.8, 1, 3), m.monitorState());
    }

    @Test void aResumedRunGoesOnCountingFromTheModelsMonitorState() {
        Model m = TrainerTest.model(1e-2);
        Monitor mon = new Monitor(Monitor.Metric.VAL_LOSS, 3, 0);
        // Up to epoch 3 (stale 2), then a new trainer, as a resumed run has.
        Outcome first = new Trainer(m, TrainerTest.BATCH).validation(scripted(LOSSES)).monitor(mon).run(TrainerTest.X, TrainerTest.Y, 4);
        assertInstanceOf(Outcome.Completed.class, first);
        assertEquals(new MonitorState("val_loss", 0.8, 1, 2), m.monitorState());
        Outcome o = new Trainer(m, TrainerTest.BATCH).validation(scripted(LOSSES)).monitor(mon).run(TrainerTest.X, TrainerTest.Y, LOSSES.length);
        assertEquals(4, assertInstanceOf(Outcome.EarlyStopped.class, o).epoch());
    }

    @Test void accuracyIsBetterHigherAndMinDeltaIgnoresSmallGains() {
        Model m = TrainerTest.model(1e-2);
        // val_acc = 0, 0.2, 0.1, 0.15, 0.05, 0.5, 0.6: with min_delta 0.3 only epoch 0 and 5 improve enough.
        Trainer t = new Trainer(m, TrainerTest.BATCH).validation(scripted(LOSSES)).monitor(new Monitor(Monitor.Metric.VAL_ACC, 0, 0.3));
        List<Integer> improved = improvedEpochs(t);
        assertInstanceOf(Outcome.Completed.class, t.run(TrainerTest.X, TrainerTest.Y, LOSSES.length), "patience 0 never stops");
        assertEquals(List.of(0, 5), improved);
        assertEquals(5, m.monitorState().bestEpoch());
        assertEquals(1, m.monitorState().stale());
    }

    @Test void anotherMetricStartsTheCountOver() {
        Model m = TrainerTest.model(1e-2);
        m.monitorState(new MonitorState("train_loss", 0.0, 0, 7));
        new Trainer(m, TrainerTest.BATCH).validation(scripted(LOSSES)).monitor(new Monitor(Monitor.Metric.VAL_LOSS, 3, 0))
                .run(TrainerTest.X, TrainerTest.Y, 1);
        assertEquals(new MonitorState("val_loss", 1.0, 0, 0), m.monitorState());
    }

    @Test void monitorChecksItsArguments() {
        assertFalse(new Monitor(Monitor.Metric.VAL_LOSS, 1, 0).improves(Double.NaN, 1));
        assertTrue(new Monitor(Monitor.Metric.VAL_LOSS, 1, 0).improves(0.5, Double.NaN));
        assertEquals("unknown monitor 'val'; use val_loss, val_acc, test_loss, test_acc or train_loss",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Monitor.Metric.named("val")).getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Monitor(Monitor.Metric.VAL_LOSS, -1, 0));
    }
}
