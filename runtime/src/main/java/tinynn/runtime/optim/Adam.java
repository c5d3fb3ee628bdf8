package tinynn.runtime.optim;

import java.util.Map;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;

/**
 * Adam as in the article: m and v moving averages with bias correction, then
 * p ← p − lr·m̂/(√v̂ + eps) − weight_decay·p (the article subtracts weight_decay·p from the step
 * directly, not scaled by lr; kept so that existing model files resume with the same numbers). With
 * {@code amsgrad} the denominator uses v_max = max(v_max, v) (PyTorch's amsgrad; slot "v_max", plain loop).
 */
public final class Adam extends SlotOptimizer {
    private final double beta1, beta2, eps;
    private final boolean amsgrad;

    public Adam(double lr) { this(lr, 0.9, 0.999, 1e-8, 0.0); }

    public Adam(double lr, double beta1, double beta2, double eps, double weightDecay) { this(lr, beta1, beta2, eps, weightDecay, false); }

    public Adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super(lr, weightDecay, amsgrad ? new String[] {"m", "v", "v_max"} : new String[] {"m", "v"});
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.amsgrad = amsgrad;
    }

    public String type() { return "adam"; }

    protected void update(Backend backend, Tensor p, Tensor g, Tensor[] s, long t) {
        if (!amsgrad) backend.adam(p, g, s[0], s[1], lr, beta1, beta2, eps, weightDecay, t);
        else AdamKernels.amsgrad(p, g, s[0], s[1], s[2], lr, beta1, beta2, eps, weightDecay, t);
    }

    protected void putHyper(Map<String, Double> h) {
        h.put("beta1", beta1);
        h.put("beta2", beta2);
        h.put("eps", eps);
        if (amsgrad) h.put("amsgrad", 1.0);
    }
}
