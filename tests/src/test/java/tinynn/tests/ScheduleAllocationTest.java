package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.optim.schedule.Scheduler;

/** Setting the scheduled rate before a step allocates nothing, for every schedule (the trainer does it every step). */
class ScheduleAllocationTest {

    @Test void applyingAScheduleAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<Scheduler> all = List.of(
                Scheduler.create("step", Map.of("step_size", 3.0), List.of(), 10, 0.1),
                Scheduler.create("multi_step", Map.of(), List.of(2L, 5L, 9L), 10, 0.1),
                Scheduler.create("exponential", Map.of("gamma", 0.9), List.of(), 0, 0.1),
                Scheduler.create("linear", Map.of(), List.of(), 0, 0.1),
                Scheduler.create("cosine", Map.of("t_max", 10.0), List.of(), 100, 0.1),
                Scheduler.create("cosine_restarts", Map.of("t_0", 3.0, "t_mult", 2.0), List.of(), 0, 0.1),
                Scheduler.create("one_cycle", Map.of("total", 5000.0), List.of(), 0, 0.1),
                Scheduler.create("cyclic", Map.of("max_lr", 1.0), List.of(), 0, 0.1),
                Scheduler.create("reduce_on_plateau", Map.of(), List.of(), 0, 0.1));
        Adam adam = new Adam(0.1);
        for (Scheduler s : all) {
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 10; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 100_000; i++) s.apply(adam, i, i / 700);
                best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
            }
            assertTrue(best < 1000, s.describe() + ": 100,000 steps allocated " + best + " bytes");
        }
    }
}
