package tinynn.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tinynn.runtime.model.Model;
import tinynn.runtime.optim.schedule.Scheduler;

/** The trainer's schedule hooks: the rate is set before every step, and reduce_on_plateau sees the monitored loss. */
class TrainerScheduleTest {
    static final int STEPS = 7; // TrainerTest's data: 50 examples in batches of 8

    static List<Double> rates(Model m, Trainer t) {
        List<Double> out = new ArrayList<>();
        t.listener(new TrainingListener() {
            @Override public void stepped(int epoch, int step, double loss, double mean) { out.add(m.optimizer().lr()); }
        });
        return out;
    }

    @Test void eachStepRunsWithTheRateOfItsEpochAndStep() {
        Model m = TrainerTest.model(0.02);
        m.schedule(Scheduler.create("cosine", Map.of("t_max", 3.0), List.of(), 3, 0.02));
        Trainer t = new Trainer(m, TrainerTest.BATCH);
        List<Double> got = rates(m, t);
        t.run(TrainerTest.X, TrainerTest.Y, 3);
        assertEquals(3 * STEPS, got.size());
        for (int i = 0; i < got.size(); i++) {
            int epoch = i / STEPS;
            double want = 0.02 * (1 + Math.cos(Math.PI * epoch / 3)) / 2 * Math.min(1, (i + 1) / 3.0);
            assertEquals(want, got.get(i), 1e-15, "step " + i);
        }
    }

    @Test void reduceOnPlateauMonitorsTheEvaluatorsLossElseTheTrainLoss() {
        Model m = TrainerTest.model(0.02);
        m.schedule(Scheduler.create("reduce_on_plateau", Map.of("factor", 0.5, "patience", 1.0), List.of(), 0, 0.02));
        Trainer t = new Trainer(m, TrainerTest.BATCH).evaluator((model, guard) -> new Trainer.Score(1.0, 0.5)); // never improves after epoch 0
        List<Double> got = rates(m, t);
        t.run(TrainerTest.X, TrainerTest.Y, 5);
        double[] perEpoch = {0.02, 0.02, 0.02, 0.01, 0.01};
        for (int i = 0; i < got.size(); i++) assertEquals(perEpoch[i / STEPS], got.get(i), 0.0, "step " + i);

        // Without an evaluator the falling train loss keeps improving: no reduction.
        Model n = TrainerTest.model(0.02);
        n.schedule(Scheduler.create("reduce_on_plateau", Map.of("factor", 0.5, "patience", 1.0, "threshold", 0.0), List.of(), 0, 0.02));
        Trainer u = new Trainer(n, TrainerTest.BATCH);
        List<Double> train = rates(n, u);
        u.run(TrainerTest.X, TrainerTest.Y, 3);
        assertEquals(0.02, train.getLast(), 0.0);
    }
}
