package tinynn.runtime.optim;

import java.util.Map;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;

/**
 * NAdam as PyTorch's: g ← g + wd·p; μ_t = β1·(1 − ½·0.96^(t·ψ)), ψ = momentum_decay; Π_t = Π_{t−1}·μ_t;
 * m, v as Adam; v̂ = v/(1−β2ᵗ);
 * p ← p − lr·(1−μ_t)/(1−Π_t)·g/(√v̂ + eps) − lr·μ_{t+1}/(1 − Π_t·μ_{t+1})·m/(√v̂ + eps).
 * The product Π ("mu_product") is a function of the step count alone: restore recomputes it with the same
 * multiplications in the same order, so it is bit-exact without a field of its own in the model file.
 */
public final class NAdam extends SlotOptimizer {
    private final double beta1, beta2, eps, momentumDecay;
    private double muProduct = 1, mu, muNext;

    public NAdam(double lr, double beta1, double beta2, double eps, double weightDecay, double momentumDecay) {
        super(lr, weightDecay, "m", "v");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.momentumDecay = momentumDecay;
    }

    public String type() { return "nadam"; }

    /** Π after {@code steps} steps. */
    double muProduct() { return muProduct; }

    private double mu(long t) { return beta1 * (1 - 0.5 * Math.pow(0.96, t * momentumDecay)); }

    @Override protected void beginStep(long t) {
        mu = mu(t);
        muNext = mu(t + 1);
        muProduct *= mu;
    }

    @Override protected void restored(long steps) {
        muProduct = 1;
        for (long t = 1; t <= steps; t++) muProduct *= mu(t);
    }

    protected void update(Backend backend, Tensor p, Tensor g, Tensor[] s, long t) {
        Tensor m = s[0], v = s[1];
        double c2 = 1 - Math.pow(beta2, t);
        double a = lr * (1 - mu) / (1 - muProduct), b = lr * muNext / (1 - muProduct * muNext);
        for (int i = 0, n = p.size(); i < n; i++) {
            double pi = p.get(i);
            double gi = g.get(i) + weightDecay * pi;
            double mi = beta1 * m.get(i) + (1 - beta1) * gi;
            double vi = beta2 * v.get(i) + (1 - beta2) * gi * gi;
            m.set(i, mi);
            v.set(i, vi);
            double denom = Math.sqrt(vi / c2) + eps;
            p.set(i, pi - a * gi / denom - b * mi / denom);
        }
    }

    protected void putHyper(Map<String, Double> h) {
        h.put("beta1", beta1);
        h.put("beta2", beta2);
        h.put("eps", eps);
        h.put("momentum_decay", momentumDecay);
    }
}
