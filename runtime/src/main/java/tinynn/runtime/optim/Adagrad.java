package tinynn.runtime.optim;

import java.util.Map;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;

/**
 * Adagrad as PyTorch's: g ← g + wd·p; clr = lr/(1 + (t−1)·lr_decay); sum ← sum + g²; p ← p − clr·g/(√sum + eps),
 * the slot "sum" starting at initial_accumulator_value.
 */
public final class Adagrad extends SlotOptimizer {
    private final double lrDecay, initial, eps;

    public Adagrad(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        super(lr, weightDecay, "sum");
        this.lrDecay = lrDecay;
        this.initial = initialAccumulatorValue;
        this.eps = eps;
        state.initial("sum", initialAccumulatorValue);
    }

    public String type() { return "adagrad"; }

    protected void update(Backend backend, Tensor p, Tensor g, Tensor[] s, long t) {
        Tensor sum = s[0];
        double clr = lr / (1 + (t - 1) * lrDecay);
        for (int i = 0, n = p.size(); i < n; i++) {
            double pi = p.get(i);
            double gi = g.get(i) + weightDecay * pi;
            double si = sum.get(i) + gi * gi;
            sum.set(i, si);
            p.set(i, pi - clr * gi / (Math.sqrt(si) + eps));
        }
    }

    protected void putHyper(Map<String, Double> h) {
        h.put("lr_decay", lrDecay);
        h.put("initial_accumulator_value", initial);
        h.put("eps", eps);
    }
}
