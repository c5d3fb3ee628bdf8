package tinynn.runtime.optim.schedule;

/** "linear" (PyTorch LinearLR): lr = base · (start + (end − start) · min(t, total) / total). */
public record Linear(double startFactor, double endFactor, long total) implements Schedule {
    public Linear {
        if (total < 1) throw new IllegalArgumentException("schedule linear: total must be at least 1, got " + total);
    }
    @Override public String type() { return "linear"; }
    @Override public boolean perStep() { return false; }
    @Override public double lr(double base, long t) {
        return base * (startFactor + (endFactor - startFactor) * Math.min(t, total) / total);
    }
}
