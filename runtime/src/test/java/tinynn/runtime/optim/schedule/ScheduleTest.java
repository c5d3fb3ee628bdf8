package tinynn.runtime.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each schedule's rate sequence against its closed form, written out here independently of the schedule code. */
class ScheduleTest {
    static final double BASE = 0.1;

    static Scheduler of(String type, Map<String, Double> p) { return Scheduler.create(type, p, List.of(), 0, BASE); }

    /** The rate at t = 0..n-1 in the schedule's own unit (steps for per-step schedules, epochs otherwise). */
    static double[] seq(Scheduler s, int n) {
        double[] r = new double[n];
        for (int t = 0; t < n; t++) r[t] = s.perStep() ? s.lr(t, 0) : s.lr(1_000_000, t);
        return r;
    }

    static void close(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])), "t=" + i);
    }

    @Test void stepDecaysByGammaEveryStepSizeEpochs() {
        close(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025}, seq(of("step", Map.of("step_size", 3.0, "gamma", 0.5)), 7));
    }

    @Test void multiStepDecaysAtEachMilestone() {
        Scheduler s = Scheduler.create("multi_step", Map.of("gamma", 0.1), List.of(2L, 5L), 0, BASE);
        close(new double[] {0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001}, seq(s, 7));
    }

    @Test void exponentialIsGammaToTheT() {
        close(new double[] {0.1, 0.09, 0.081, 0.0729}, seq(of("exponential", Map.of("gamma", 0.9)), 4));
    }

    @Test void linearGoesFromStartToEndFactorThenHolds() {
        close(new double[] {0.05, 0.0625, 0.075, 0.0875, 0.1, 0.1}, seq(of("linear", Map.of("start_factor", 0.5, "end_factor", 1.0, "total", 4.0)), 6));
    }

    @Test void cosineFollowsHalfACosineFromBaseToEtaMin() {
        double[] want = new double[5];
        for (int t = 0; t < 5; t++) want[t] = 0.01 + 0.09 * (1 + Math.cos(Math.PI * t / 4)) / 2;
        close(want, seq(of("cosine", Map.of("t_max", 4.0, "eta_min", 0.01)), 5));
        assertEquals(0.1, want[0], 1e-15);
        assertEquals(0.01, want[4], 1e-15);
    }

    @Test void cosineRestartsRestartsAfterCyclesOfGrowingLength() {
        // t_0 = 2, t_mult = 2: cycles [0,2), [2,6), [6,14).
        long[][] curLen = {{0, 2}, {1, 2}, {0, 4}, {1, 4}, {2, 4}, {3, 4}, {0, 8}, {7, 8}};
        double[] want = new double[curLen.length];
        for (int i = 0; i < want.length; i++) want[i] = 0.1 * (1 + Math.cos(Math.PI * curLen[i][0] / curLen[i][1])) / 2;
        double[] got = seq(of("cosine_restarts", Map.of("t_0", 2.0, "t_mult", 2.0)), 14);
        for (int i = 0; i < 6; i++) assertEquals(want[i], got[i], 1e-15, "t=" + i);
        assertEquals(want[6], got[6], 1e-15);
        assertEquals(want[7], got[13], 1e-15);
        close(new double[] {0.1, 0.05, 0.1, 0.05}, seq(of("cosine_restarts", Map.of("t_0", 2.0)), 4));
    }

    @Test void oneCycleMatchesPyTorchValues() {
        // torch.optim.lr_scheduler.OneCycleLR(max_lr=1.0, total_steps=10, pct_start=0.3): warm phase ends at step 2.
        double max = 1.0, initial = max / 25, min = initial / 1e4;
        double[] want = new double[11];
        for (int t = 0; t < 11; t++) {
            int s = Math.min(t, 9);
            want[t] = s <= 2 ? max + (initial - max) / 2 * (Math.cos(Math.PI * s / 2.0) + 1)
                    : min + (max - min) / 2 * (Math.cos(Math.PI * (s - 2) / 7.0) + 1);
        }
        double[] got = seq(of("one_cycle", Map.of("max_lr", 1.0, "total", 10.0, "pct_start", 0.3)), 11);
        close(want, got);
        assertEquals(0.04, got[0], 1e-15);
        assertEquals(0.52, got[1], 1e-12); // PyTorch prints 0.52 for step 1
        assertEquals(1.0, got[2], 1e-15);
        assertEquals(4e-6, got[9], 1e-15);
    }

    @Test void cyclicIsATriangleBetweenBaseAndMax() {
        close(new double[] {0.1, 0.4, 0.7, 1.0, 0.7, 0.4, 0.1, 0.4},
                seq(of("cyclic", Map.of("base_lr", 0.1, "max_lr", 1.0, "step_size", 3.0)), 8));
    }

    @Test void warmupScalesTheFirstStepsLinearlyAndComposes() {
        Scheduler s = Scheduler.create("exponential", Map.of("gamma", 0.5), List.of(), 4, BASE);
        // Steps 0..3 warm up by (s+1)/4 of the scheduled rate; the schedule itself runs on epochs.
        assertEquals(0.1 * 0.25, s.lr(0, 0), 1e-15);
        assertEquals(0.1 * 0.75, s.lr(2, 0), 1e-15);
        assertEquals(0.05 * 1.0, s.lr(3, 1), 1e-15);
        assertEquals(0.05, s.lr(4, 1), 1e-15);
        assertEquals(0.025, s.lr(400, 2), 1e-15);
        Scheduler bare = Scheduler.create("constant", Map.of(), List.of(), 10, BASE);
        for (int i = 0; i < 12; i++) assertEquals(BASE * Math.min(1, (i + 1) / 10.0), bare.lr(i, 0), 1e-15);
    }

    @Test void perStepAttributeSwitchesAnEpochScheduleToSteps() {
        Scheduler s = of("step", Map.of("step_size", 2.0, "gamma", 0.5, "per_step", 1.0));
        assertTrue(s.perStep());
        assertEquals(0.1, s.lr(1, 7));
        assertEquals(0.05, s.lr(2, 0));
    }

    @Test void reduceOnPlateauCutsTheRateAfterPatienceEpochsWithoutRelativeImprovement() {
        Scheduler s = of("reduce_on_plateau", Map.of("factor", 0.5, "patience", 1.0, "threshold", 0.1));
        double[] losses = {1.0, 0.95, 0.95, 0.5, 0.5, 0.46, 0.44};
        // 1.0 improves (best 1); 0.95 is not below 0.9: bad 1; 0.95 bad 2 > 1: halve; 0.5 improves;
        // 0.5 bad 1; 0.46 bad 2: halve; 0.44 < 0.5·0.9 = 0.45 improves.
        double[] want = {0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025};
        for (int e = 0; e < losses.length; e++) {
            s.epochEnded(losses[e]);
            assertEquals(want[e], s.lr(0, e + 1), 1e-15, "after epoch " + e);
        }
        Scheduler copy = of("reduce_on_plateau", Map.of("factor", 0.5, "patience", 1.0, "threshold", 0.1));
        copy.schedule().restore(s.schedule().state());
        s.epochEnded(0.44);
        copy.epochEnded(0.44);
        assertEquals(s.lr(0, 9), copy.lr(0, 9));
        assertEquals(s.schedule().state(), copy.schedule().state());
    }

    @Test void badNamesAndAttributesAreOneLineErrors() {
        assertEquals("unknown schedule 'cosin'; use " + String.join(", ", Scheduler.NAMES),
                assertThrows(IllegalArgumentException.class, () -> of("cosin", Map.of())).getMessage());
        assertEquals("schedule cosine: unknown attribute 'tmax'; use eta_min, t_max",
                assertThrows(IllegalArgumentException.class, () -> of("cosine", Map.of("tmax", 3.0))).getMessage());
        assertEquals("schedule cosine: needs t_max", assertThrows(IllegalArgumentException.class, () -> of("cosine", Map.of())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> of("reduce_on_plateau", Map.of("per_step", 1.0)));
    }

    @Test void describeNamesTheScheduleItsUnitAndWarmup() {
        assertEquals("cosine eta_min=0 t_max=10 per epoch, warm-up 100 steps, base lr 0.001",
                Scheduler.create("cosine", Map.of("t_max", 10.0, "eta_min", 0.0), List.of(), 100, 0.001).describe());
        assertEquals("multi_step milestones=3:6 per epoch, base lr 0.1",
                Scheduler.create("multi_step", Map.of(), List.of(3L, 6L), 0, 0.1).describe());
    }
}
