package tinynn.runtime.optim;

import java.util.Map;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;

/**
 * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"; not in PyTorch): c = β1·m + (1−β1)·g;
 * p ← p·(1 − lr·wd) − lr·sign(c); m ← β2·m + (1−β2)·g. The weight decay is decoupled as in the paper: the update
 * is a sign, so an L2 term added to the gradient would be flattened by it.
 */
public final class Lion extends SlotOptimizer {
    private final double beta1, beta2;

    public Lion(double lr, double beta1, double beta2, double weightDecay) {
        super(lr, weightDecay, "m");
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    public String type() { return "lion"; }

    protected void update(Backend backend, Tensor p, Tensor g, Tensor[] s, long t) {
        Tensor m = s[0];
        double keep = 1 - lr * weightDecay;
        for (int i = 0, n = p.size(); i < n; i++) {
            double gi = g.get(i), mi = m.get(i);
            double c = beta1 * mi + (1 - beta1) * gi;
            p.set(i, p.get(i) * keep - lr * Math.signum(c));
            m.set(i, beta2 * mi + (1 - beta2) * gi);
        }
    }

    protected void putHyper(Map<String, Double> h) {
        h.put("beta1", beta1);
        h.put("beta2", beta2);
    }
}
