package tinynn.runtime.optim;

import java.util.Map;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;

/**
 * RAdam as PyTorch's: g ← g + wd·p; m, v as Adam; m̂ = m/(1−β1ᵗ); ρ∞ = 2/(1−β2) − 1; ρ_t = ρ∞ − 2t·β2ᵗ/(1−β2ᵗ);
 * if ρ_t > 5: p ← p − lr·m̂·r_t·√(1−β2ᵗ)/(√v + eps) with r_t = √((ρ_t−4)(ρ_t−2)ρ∞/((ρ∞−4)(ρ∞−2)ρ_t)),
 * else p ← p − lr·m̂.
 */
public final class RAdam extends SlotOptimizer {
    private final double beta1, beta2, eps;

    public RAdam(double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(lr, weightDecay, "m", "v");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    public String type() { return "radam"; }

    protected void update(Backend backend, Tensor p, Tensor g, Tensor[] s, long t) {
        Tensor m = s[0], v = s[1];
        double c1 = 1 - Math.pow(beta1, t), b2t = Math.pow(beta2, t), c2 = 1 - b2t;
        double rhoInf = 2 / (1 - beta2) - 1, rho = rhoInf - 2 * t * b2t / c2;
        boolean rectify = rho > 5;
        double r = rectify ? Math.sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho)) : 0;
        for (int i = 0, n = p.size(); i < n; i++) {
            double pi = p.get(i);
            double gi = g.get(i) + weightDecay * pi;
            double mi = beta1 * m.get(i) + (1 - beta1) * gi;
            double vi = beta2 * v.get(i) + (1 - beta2) * gi * gi;
            m.set(i, mi);
            v.set(i, vi);
            double mHat = mi / c1;
            p.set(i, rectify ? pi - lr * mHat * r * Math.sqrt(c2) / (Math.sqrt(vi) + eps) : pi - lr * mHat);
        }
    }

    protected void putHyper(Map<String, Double> h) {
        h.put("beta1", beta1);
        h.put("beta2", beta2);
        h.put("eps", eps);
    }
}
