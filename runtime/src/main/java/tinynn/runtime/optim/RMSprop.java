package tinynn.runtime.optim;

import java.util.Map;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;

/**
 * RMSprop as PyTorch's: g ← g + wd·p; s ← α·s + (1−α)·g²; centered: a ← α·a + (1−α)·g, s̃ = s − a², else s̃ = s;
 * with momentum μ: b ← μ·b + g/(√s̃ + eps), p ← p − lr·b; without: p ← p − lr·g/(√s̃ + eps).
 * Slots "square_avg", "grad_avg" (centered), "momentum_buffer" (μ > 0).
 */
public final class RMSprop extends SlotOptimizer {
    private final double alpha, eps, momentum;
    private final boolean centered;
    private final int avgSlot, bufSlot;

    public RMSprop(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        super(lr, weightDecay, slotNames(momentum, centered));
        this.alpha = alpha;
        this.eps = eps;
        this.momentum = momentum;
        this.centered = centered;
        this.avgSlot = centered ? 1 : -1;
        this.bufSlot = momentum > 0 ? (centered ? 2 : 1) : -1;
    }

    private static String[] slotNames(double momentum, boolean centered) {
        if (centered) return momentum > 0 ? new String[] {"square_avg", "grad_avg", "momentum_buffer"} : new String[] {"square_avg", "grad_avg"};
        return momentum > 0 ? new String[] {"square_avg", "momentum_buffer"} : new String[] {"square_avg"};
    }

    public String type() { return "rmsprop"; }

    protected void update(Backend backend, Tensor p, Tensor g, Tensor[] s, long t) {
        Tensor sq = s[0];
        for (int i = 0, n = p.size(); i < n; i++) {
            double pi = p.get(i);
            double gi = g.get(i) + weightDecay * pi;
            double si = alpha * sq.get(i) + (1 - alpha) * gi * gi;
            sq.set(i, si);
            double avg = si;
            if (centered) {
                double ai = alpha * s[avgSlot].get(i) + (1 - alpha) * gi;
                s[avgSlot].set(i, ai);
                avg = si - ai * ai;
            }
            double d = gi / (Math.sqrt(avg) + eps);
            if (bufSlot >= 0) {
                d = momentum * s[bufSlot].get(i) + d;
                s[bufSlot].set(i, d);
            }
            p.set(i, pi - lr * d);
        }
    }

    protected void putHyper(Map<String, Double> h) {
        h.put("alpha", alpha);
        h.put("eps", eps);
        h.put("momentum", momentum);
        h.put("centered", flag(centered));
    }
}
