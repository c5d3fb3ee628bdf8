package tinynn.runtime.optim.schedule;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tinynn.runtime.optim.Optimizer;

/**
 * Drives the optimizer's learning rate: before each step the trainer calls {@link #apply}, which sets
 * lr = schedule(base, t) · warmup(step), where t is the optimizer steps done for a per-step schedule and
 * the epochs done for a per-epoch one, and warmup(s) = min(1, (s + 1) / warmup_steps) (linear warm-up
 * over the first warmup_steps steps; 1 without warm-up). Both counters are in the model file, so a
 * resumed run, even one interrupted mid-epoch, continues the curve exactly.
 *
 * <p>The base rate is the optimizer's rate when the schedule was attached; it is kept here (and saved)
 * because the optimizer's own rate is the scheduled one from then on.
 */
public final class Scheduler {
    private final Schedule schedule;
    private final Map<String, Double> params;
    private final List<Long> milestones;
    private final double baseLr;
    private final long warmupSteps;
    private final boolean perStep;

    private Scheduler(Schedule schedule, Map<String, Double> params, List<Long> milestones, double baseLr, long warmupSteps) {
        if (!(baseLr > 0)) throw new IllegalArgumentException("schedule " + schedule.type() + ": base lr must be positive, got " + baseLr);
        if (warmupSteps < 0) throw new IllegalArgumentException("schedule warmup: steps must be at least 0, got " + warmupSteps);
        this.schedule = schedule;
        this.params = params;
        this.milestones = milestones;
        this.baseLr = baseLr;
        this.warmupSteps = warmupSteps;
        double unit = params.getOrDefault("per_step", schedule.perStep() ? 1.0 : 0.0);
        if (unit != 0 && unit != 1) throw new IllegalArgumentException("schedule " + schedule.type() + ": per_step must be 0 or 1, got " + unit);
        if (schedule instanceof ReduceOnPlateau && unit == 1) throw new IllegalArgumentException("schedule reduce_on_plateau: runs per epoch only");
        this.perStep = unit == 1;
    }

    /**
     * A schedule by spec name and attributes (see docs/catalogue-schedules.md), with a linear warm-up over
     * {@code warmupSteps} steps (0 = none), scaling {@code baseLr}. Unknown names or attributes are errors.
     */
    public static Scheduler create(String type, Map<String, Double> params, List<Long> milestones, long warmupSteps, double baseLr) {
        Map<String, Double> p = new TreeMap<>(params);
        Schedule s = switch (type) {
            case "constant" -> check(type, p, Set.of(), () -> new Constant());
            case "step" -> check(type, p, Set.of("step_size", "gamma"), () -> new StepDecay(required(type, p, "step_size"), p.getOrDefault("gamma", 0.1)));
            case "multi_step" -> check(type, p, Set.of("gamma"), () -> new MultiStep(milestones, p.getOrDefault("gamma", 0.1)));
            case "exponential" -> check(type, p, Set.of("gamma"), () -> new Exponential(requiredDouble(type, p, "gamma")));
            case "linear" -> check(type, p, Set.of("start_factor", "end_factor", "total"), () -> new Linear(p.getOrDefault("start_factor", 1.0 / 3),
                    p.getOrDefault("end_factor", 1.0), p.getOrDefault("total", 5.0).longValue()));
            case "cosine" -> check(type, p, Set.of("t_max", "eta_min"), () -> new Cosine(required(type, p, "t_max"), p.getOrDefault("eta_min", 0.0)));
            case "cosine_restarts" -> check(type, p, Set.of("t_0", "t_mult", "eta_min"), () -> new CosineRestarts(required(type, p, "t_0"),
                    p.getOrDefault("t_mult", 1.0).longValue(), p.getOrDefault("eta_min", 0.0)));
            case "one_cycle" -> check(type, p, Set.of("max_lr", "total", "pct_start", "div_factor", "final_div_factor"),
                    () -> new OneCycle(p.getOrDefault("max_lr", 0.0), required(type, p, "total"), p.getOrDefault("pct_start", 0.3),
                            p.getOrDefault("div_factor", 25.0), p.getOrDefault("final_div_factor", 1e4)));
            case "cyclic" -> check(type, p, Set.of("base_lr", "max_lr", "step_size"), () -> new Cyclic(p.getOrDefault("base_lr", 0.0),
                    p.getOrDefault("max_lr", 0.0), p.getOrDefault("step_size", 2000.0).longValue()));
            case "reduce_on_plateau" -> check(type, p, Set.of("factor", "patience", "threshold"), () -> new ReduceOnPlateau(p.getOrDefault("factor", 0.1),
                    p.getOrDefault("patience", 10.0).longValue(), p.getOrDefault("threshold", 1e-4)));
            default -> throw new IllegalArgumentException("unknown schedule '" + type + "'; use " + String.join(", ", NAMES));
        };
        if (!type.equals("multi_step") && !milestones.isEmpty()) throw new IllegalArgumentException("schedule " + type + ": milestones apply to multi_step only");
        return new Scheduler(s, java.util.Collections.unmodifiableMap(p), List.copyOf(milestones), baseLr, warmupSteps);
    }

    /** The spec names, in the catalogue's order. */
    public static final List<String> NAMES = List.of("constant", "step", "multi_step", "exponential", "linear", "cosine",
            "cosine_restarts", "one_cycle", "cyclic", "reduce_on_plateau");

    private static Schedule check(String type, Map<String, Double> p, Set<String> known, java.util.function.Supplier<Schedule> s) {
        for (String k : p.keySet()) {
            if (!known.contains(k) && !k.equals("per_step")) {
                throw new IllegalArgumentException("schedule " + type + ": unknown attribute '" + k + "'"
                        + (known.isEmpty() ? "" : "; use " + String.join(", ", new TreeSet<>(known))));
            }
        }
        return s.get();
    }

    private static double requiredDouble(String type, Map<String, Double> p, String key) {
        Double v = p.get(key);
        if (v == null) throw new IllegalArgumentException("schedule " + type + ": needs " + key);
        return v;
    }

    private static long required(String type, Map<String, Double> p, String key) {
        Double v = p.get(key);
        if (v == null) throw new IllegalArgumentException("schedule " + type + ": needs " + key);
        if (v != Math.rint(v)) throw new IllegalArgumentException("schedule " + type + ": " + key + " must be a whole number, got " + v);
        return v.longValue();
    }

    public Schedule schedule() { return schedule; }
    public String type() { return schedule.type(); }
    /** The attributes as given (per_step included when given). */
    public Map<String, Double> params() { return params; }
    public List<Long> milestones() { return milestones; }
    public double baseLr() { return baseLr; }
    public long warmupSteps() { return warmupSteps; }
    public boolean perStep() { return perStep; }

    /** Where the schedule stands: t of the next step, in its unit. */
    public long position(long globalStep, int epoch) { return perStep ? globalStep : epoch; }

    /** The rate of the step after {@code globalStep} steps, in epoch {@code epoch}; allocates nothing. */
    public double lr(long globalStep, int epoch) {
        double lr = schedule.lr(baseLr, position(globalStep, epoch));
        if (globalStep < warmupSteps) lr *= (globalStep + 1.0) / warmupSteps;
        return lr;
    }

    /** Sets the optimizer's rate for its next step. */
    public void apply(Optimizer optimizer, long globalStep, int epoch) { optimizer.lr(lr(globalStep, epoch)); }

    /** After an epoch, with the loss it monitors (validation, else test, else train). */
    public void epochEnded(double monitoredLoss) { schedule.observe(monitoredLoss); }

    /** One line for people: "cosine t_max=10 eta_min=0 per epoch, warm-up 100 steps, base lr 0.001". */
    public String describe() {
        StringBuilder b = new StringBuilder(type());
        if (!milestones.isEmpty()) b.append(" milestones=").append(milestones.stream().map(String::valueOf).reduce((x, y) -> x + ":" + y).orElse(""));
        params.forEach((k, v) -> {
            if (!k.equals("per_step")) b.append(' ').append(k).append('=').append(num(v));
        });
        b.append(perStep ? " per step" : " per epoch");
        if (warmupSteps > 0) b.append(", warm-up ").append(warmupSteps).append(" steps");
        b.append(", base lr ").append(num(baseLr));
        return b.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
