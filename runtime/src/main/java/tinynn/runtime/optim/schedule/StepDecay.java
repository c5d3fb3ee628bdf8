package tinynn.runtime.optim.schedule;

/** "step" (PyTorch StepLR): lr = base · gamma^floor(t / step_size). */
public record StepDecay(long stepSize, double gamma) implements Schedule {
    public StepDecay {
        if (stepSize < 1) throw new IllegalArgumentException("schedule step: step_size must be at least 1, got " + stepSize);
    }
    @Override public String type() { return "step"; }
    @Override public boolean perStep() { return false; }
    @Override public double lr(double base, long t) { return base * Math.pow(gamma, t / stepSize); }
}
