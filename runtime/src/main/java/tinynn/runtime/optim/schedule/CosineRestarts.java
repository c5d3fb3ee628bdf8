package tinynn.runtime.optim.schedule;

/**
 * "cosine_restarts" (PyTorch CosineAnnealingWarmRestarts, SGDR): cycles of length t_0, t_0·t_mult, ...;
 * within a cycle of length T_i at t_cur: lr = eta_min + (base − eta_min)(1 + cos(π t_cur / T_i)) / 2.
 */
public record CosineRestarts(long t0, long tMult, double etaMin) implements Schedule {
    public CosineRestarts {
        if (t0 < 1) throw new IllegalArgumentException("schedule cosine_restarts: t_0 must be at least 1, got " + t0);
        if (tMult < 1) throw new IllegalArgumentException("schedule cosine_restarts: t_mult must be at least 1, got " + tMult);
    }
    @Override public String type() { return "cosine_restarts"; }
    @Override public boolean perStep() { return false; }
    @Override public double lr(double base, long t) {
        long cur = t;
        long len = t0;
        // Integer cycle walk, not PyTorch's log formula: no rounding at cycle boundaries.
        if (tMult == 1) {
            cur = t % t0;
        } else {
            while (cur >= len) {
                cur -= len;
                len *= tMult;
            }
        }
        return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * cur / len)) / 2;
    }
}
