package tinynn.runtime.optim.schedule;

/**
 * A learning-rate curve: the rate at time t (optimizer steps or epochs done, see {@link #perStep}) as
 * a closed form of the base rate and t, so that a resumed run continues the curve exactly from the
 * counters the model file keeps. Only {@link ReduceOnPlateau} has state of its own.
 */
public interface Schedule {

    /** The spec name: "step", "cosine", ... */
    String type();

    /** Whether t counts optimizer steps by default (one_cycle, cyclic) rather than epochs. */
    boolean perStep();

    /** The learning rate at time t, for a schedule started at base rate {@code base}; allocates nothing. */
    double lr(double base, long t);

    /** Called after each epoch with the monitored loss; only stateful schedules use it. */
    default void observe(double monitoredLoss) {}

    /** The state a resume needs besides t, by name; empty for closed-form schedules. */
    default java.util.Map<String, Double> state() { return java.util.Map.of(); }

    /** Restores {@link #state}. */
    default void restore(java.util.Map<String, Double> state) {}
}
