package tinynn.runtime.optim;

import java.util.Map;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;

/**
 * AdamW (PyTorch's): decoupled decay p ← p·(1 − lr·weight_decay) first, then the Adam step. The decay is the
 * Adam kernel's own pre-scaling with lr·weight_decay, so AdamW runs the same SIMD kernel as Adam.
 * {@code amsgrad} as in {@link Adam}.
 */
public final class AdamW extends SlotOptimizer {
    private final double beta1, beta2, eps;
    private final boolean amsgrad;

    public AdamW(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super(lr, weightDecay, amsgrad ? new String[] {"m", "v", "v_max"} : new String[] {"m", "v"});
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.amsgrad = amsgrad;
    }

    public String type() { return "adamw"; }

    protected void update(Backend backend, Tensor p, Tensor g, Tensor[] s, long t) {
        if (!amsgrad) backend.adam(p, g, s[0], s[1], lr, beta1, beta2, eps, lr * weightDecay, t);
        else AdamKernels.amsgrad(p, g, s[0], s[1], s[2], lr, beta1, beta2, eps, lr * weightDecay, t);
    }

    protected void putHyper(Map<String, Double> h) {
        h.put("beta1", beta1);
        h.put("beta2", beta2);
        h.put("eps", eps);
        if (amsgrad) h.put("amsgrad", 1.0);
    }
}
