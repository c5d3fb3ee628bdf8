package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.optim.schedule.Scheduler;
import tinynn.runtime.train.Outcome;
import tinynn.runtime.train.Trainer;
import tinynn.runtime.train.TrainingListener;
import tinynn.serialization.proto.LrSchedule;

/** A schedule's state survives the model file: a run interrupted anywhere and resumed follows the uninterrupted curve bit for bit. */
class ScheduleResumeTest {
    static final int N = 50, BATCH = 8, EPOCHS = 4; // 7 steps per epoch

    static final Tensor X, Y;

    static {
        SplittableRandom r = new SplittableRandom(3);
        X = RealModels.random(DType.F64, Shape.of(N, 4), r);
        Y = RealModels.oneHot(DType.F64, N, 3, r);
    }

    static Model model(Scheduler s) {
        Model m = new Model(new Net(new Dense(4, 6), Activation.relu(), new Dense(6, 3)), Losses.softmaxCrossEntropy(),
                new Adam(0.05), new OjalgoBackend(), DType.F64, 7);
        m.schedule(s);
        return m;
    }

    static Stream<Arguments> schedules() {
        return Stream.of(
                Arguments.of(Scheduler.create("cosine", Map.of("t_max", 4.0, "eta_min", 0.001), List.of(), 10, 0.05)),
                Arguments.of(Scheduler.create("one_cycle", Map.of("total", 28.0, "max_lr", 0.1), List.of(), 0, 0.05)),
                Arguments.of(Scheduler.create("cyclic", Map.of("max_lr", 0.2, "step_size", 5.0), List.of(), 3, 0.05)),
                Arguments.of(Scheduler.create("multi_step", Map.of("gamma", 0.3), List.of(1L, 3L), 0, 0.05)),
                Arguments.of(Scheduler.create("cosine_restarts", Map.of("t_0", 5.0, "t_mult", 2.0, "per_step", 1.0), List.of(), 0, 0.05)),
                Arguments.of(Scheduler.create("reduce_on_plateau", Map.of("factor", 0.5, "patience", 0.0, "threshold", 0.2), List.of(), 4, 0.05)));
    }

    /** Records the rate each step ran with. */
    static TrainingListener rates(Model m, List<Double> out) {
        return new TrainingListener() {
            @Override public void stepped(int epoch, int step, double loss, double mean) { out.add(m.optimizer().lr()); }
        };
    }

    static Model reload(Model m) {
        return ModelReader.fromProto(ModelWriter.toProto(m, false), "m.tnn", new OjalgoBackend());
    }

    static double[] array(List<Double> l) { return l.stream().mapToDouble(Double::doubleValue).toArray(); }

    @ParameterizedTest @MethodSource("schedules")
    void anInterruptedAndResumedRunFollowsTheUninterruptedCurve(Scheduler s) {
        Model straight = model(s);
        List<Double> want = new ArrayList<>();
        new Trainer(straight, BATCH).listener(rates(straight, want)).run(X, Y, EPOCHS);
        assertEquals(EPOCHS * 7, want.size());

        // A fresh copy of the schedule: the straight run changed reduce_on_plateau's state.
        Scheduler fresh = Scheduler.create(s.type(), s.params(), s.milestones(), s.warmupSteps(), s.baseLr());
        Model first = model(fresh);
        List<Double> got = new ArrayList<>();
        Trainer t1 = new Trainer(first, BATCH);
        t1.listener(rates(first, got)).listener(new TrainingListener() {
            @Override public void stepped(int epoch, int step, double loss, double mean) {
                if (epoch == 1 && step == 3) t1.requestStop(); // mid-epoch
            }
        });
        assertInstanceOf(Outcome.Stopped.class, t1.run(X, Y, EPOCHS));
        Model second = reload(first);
        Trainer t2 = new Trainer(second, BATCH);
        t2.listener(rates(second, got)).listener(new TrainingListener() {
            @Override public void epochEnded(Model m, tinynn.runtime.model.EpochMetrics metrics) {
                if (m.epoch() == 2) t2.requestStop(); // at an epoch boundary, after reduce_on_plateau has seen the epoch
            }
        });
        t2.run(X, Y, EPOCHS);
        Model third = reload(second);
        new Trainer(third, BATCH).listener(rates(third, got)).run(X, Y, EPOCHS);

        assertArrayEquals(array(want), array(got), s.describe());
        RealModels.assertBitIdentical(straight.parameters().asMap(), third.parameters().asMap(), s.describe());
        assertEquals(straight.optimizer().lr(), third.optimizer().lr());
        assertEquals(straight.schedule().schedule().state(), third.schedule().schedule().state());
    }

    @Test void theScheduleRoundTripsThroughTheFile() {
        Scheduler s = Scheduler.create("multi_step", Map.of("gamma", 0.25, "per_step", 1.0), List.of(4L, 9L), 6, 0.03);
        Model m = model(s);
        new Trainer(m, BATCH).run(X, Y, 1);
        LrSchedule saved = ModelWriter.toProto(m, false).getTraining().getLrSchedule();
        assertEquals(LrSchedule.newBuilder().setType("multi_step").putParams("gamma", 0.25).putParams("per_step", 1.0)
                .setPosition(7).setBaseLr(0.03).setWarmupSteps(6).addMilestones(4).addMilestones(9).build(), saved);
        Scheduler back = reload(m).schedule();
        assertEquals(s.describe(), back.describe());
        assertEquals(0.03 * 0.25, m.optimizer().lr(), 1e-15, "the optimizer keeps the scheduled rate, the schedule the base rate");

        Scheduler plateau = Scheduler.create("reduce_on_plateau", Map.of("patience", 0.0), List.of(), 0, 0.01);
        plateau.epochEnded(2.0);
        plateau.epochEnded(3.0);
        Model p = model(plateau);
        assertEquals(Map.of("best", 2.0, "bad_epochs", 0.0, "scale", 0.1), ModelWriter.toProto(p, false).getTraining().getLrSchedule().getStateMap());
        assertEquals(plateau.schedule().state(), reload(p).schedule().schedule().state());

        assertNull(reload(model(null)).schedule(), "no schedule saved, none read");
    }

    @Test void aBadScheduleInAFileIsAnErrorNamingIt() {
        tinynn.serialization.proto.Model file = ModelWriter.toProto(model(null), false);
        tinynn.serialization.proto.Model bad = file.toBuilder().setTraining(file.getTraining().toBuilder()
                .setLrSchedule(LrSchedule.newBuilder().setType("cosine"))).build();
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelReader.fromProto(bad, "m.tnn", new OjalgoBackend()));
        assertEquals("m.tnn: learning-rate schedule cosine: needs t_max; re-save the model with tinynn, or check the program that wrote it",
                e.getMessage());
    }
}
