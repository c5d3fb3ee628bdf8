package tinynn.runtime.optim.schedule;

/**
 * "cosine" (PyTorch CosineAnnealingLR's closed form): lr = eta_min + (base − eta_min)(1 + cos(π t / t_max)) / 2.
 * As in PyTorch, past t_max the curve rises again (use cosine_restarts for a restart, or t_max = the run's length).
 */
public record Cosine(long tMax, double etaMin) implements Schedule {
    public Cosine {
        if (tMax < 1) throw new IllegalArgumentException("schedule cosine: t_max must be at least 1, got " + tMax);
    }
    @Override public String type() { return "cosine"; }
    @Override public boolean perStep() { return false; }
    @Override public double lr(double base, long t) {
        return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
    }
}
