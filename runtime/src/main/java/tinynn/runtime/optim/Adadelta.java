package tinynn.runtime.optim;

import java.util.Map;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;

/**
 * Adadelta as PyTorch's: g ← g + wd·p; v ← ρ·v + (1−ρ)·g²; Δ = √(u + eps)/√(v + eps)·g; u ← ρ·u + (1−ρ)·Δ²;
 * p ← p − lr·Δ. Slots "square_avg" (v) and "acc_delta" (u).
 */
public final class Adadelta extends SlotOptimizer {
    private final double rho, eps;

    public Adadelta(double lr, double rho, double eps, double weightDecay) {
        super(lr, weightDecay, "square_avg", "acc_delta");
        this.rho = rho;
        this.eps = eps;
    }

    public String type() { return "adadelta"; }

    protected void update(Backend backend, Tensor p, Tensor g, Tensor[] s, long t) {
        Tensor v = s[0], u = s[1];
        for (int i = 0, n = p.size(); i < n; i++) {
            double pi = p.get(i);
            double gi = g.get(i) + weightDecay * pi;
            double vi = rho * v.get(i) + (1 - rho) * gi * gi;
            double delta = Math.sqrt(u.get(i) + eps) / Math.sqrt(vi + eps) * gi;
            v.set(i, vi);
            u.set(i, rho * u.get(i) + (1 - rho) * delta * delta);
            p.set(i, pi - lr * delta);
        }
    }

    protected void putHyper(Map<String, Double> h) {
        h.put("rho", rho);
        h.put("eps", eps);
    }
}
