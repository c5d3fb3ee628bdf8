package tinynn.runtime.optim.schedule;

/** "exponential" (PyTorch ExponentialLR): lr = base · gamma^t. */
public record Exponential(double gamma) implements Schedule {
    @Override public String type() { return "exponential"; }
    @Override public boolean perStep() { return false; }
    @Override public double lr(double base, long t) { return base * Math.pow(gamma, t); }
}
