package tinynn.runtime.optim.schedule;

/** lr = base: the schedule a bare warm-up composes with. */
public record Constant() implements Schedule {
    @Override public String type() { return "constant"; }
    @Override public boolean perStep() { return false; }
    @Override public double lr(double base, long t) { return base; }
}
