package tinynn.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tinynn.runtime.model.Model;
import tinynn.runtime.optim.schedule.Scheduler;
import tinynn.serialization.proto.LrSchedule;

/**
 * The learning-rate schedule of {@code tinynn train}: from --schedule, --schedule-args and --warmup, else from
 * the spec's {@code training { lr_schedule { ... } }}; a resumed run keeps its file's schedule.
 */
final class LrSchedules {
    private LrSchedules() {}

    /** The schedule of a new run, scaling the optimizer's rate; null when none is asked for. */
    static Scheduler create(TrainOptions o, LrSchedule spec, double baseLr) {
        long warmup = o.warmup != null ? o.warmup : spec != null ? spec.getWarmupSteps() : 0;
        if (o.schedule != null) {
            Map<String, Double> params = new TreeMap<>();
            List<Long> milestones = new ArrayList<>();
            if (o.scheduleArgs != null) {
                for (Map.Entry<String, String> e : o.scheduleArgs.entrySet()) {
                    try {
                        if (e.getKey().equals("milestones")) {
                            for (String m : e.getValue().split(":")) milestones.add(Long.parseLong(m.strip()));
                        } else {
                            params.put(e.getKey(), Double.parseDouble(e.getValue()));
                        }
                    } catch (NumberFormatException x) {
                        throw o.usage("--schedule-args: " + e.getKey() + "=" + e.getValue() + " is not a number"
                                + (e.getKey().equals("milestones") ? " list (use milestones=30:60:90)" : ""));
                    }
                }
            }
            try {
                return Scheduler.create(o.schedule, params, milestones, warmup, baseLr);
            } catch (IllegalArgumentException e) {
                throw o.usage("--schedule: " + e.getMessage());
            }
        }
        if (spec != null && !spec.getType().isEmpty()) {
            try {
                return Scheduler.create(spec.getType(), spec.getParamsMap(), spec.getMilestonesList(), warmup,
                        spec.getBaseLr() > 0 ? spec.getBaseLr() : baseLr);
            } catch (IllegalArgumentException e) {
                throw new Failure(o.arch + ": training.lr_schedule: " + e.getMessage());
            }
        }
        return warmup > 0 ? Scheduler.create("constant", Map.of(), List.of(), warmup, baseLr) : null;
    }

    /** --resume: the file's schedule stays; --lr gives it a new base rate, keeping its state. */
    static void resume(TrainOptions o, Model model) {
        if (o.schedule != null || o.warmup != null) {
            throw o.usage("--schedule and --warmup cannot change when resuming (the schedule comes from " + o.resume + ")");
        }
        Scheduler s = model.schedule();
        if (s == null || o.lr == null) return;
        Scheduler moved = Scheduler.create(s.type(), s.params(), s.milestones(), s.warmupSteps(), o.lr);
        moved.schedule().restore(s.schedule().state());
        model.schedule(moved);
    }
}
