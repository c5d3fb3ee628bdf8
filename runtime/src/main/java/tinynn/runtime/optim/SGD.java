package tinynn.runtime.optim;

import java.util.Map;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;

/**
 * SGD as PyTorch's: g ← g + wd·p; with momentum μ, b ← g on the first step, else b ← μ·b + (1 − dampening)·g;
 * then g ← g + μ·b (nesterov) or g ← b; p ← p − lr·g. Without dampening and nesterov this is the backend's
 * kernel (v ← μ·v + g from v = 0, the same numbers).
 */
public final class SGD extends SlotOptimizer {
    private final double momentum, dampening;
    private final boolean nesterov;

    public SGD(double lr) { this(lr, 0, 0); }

    public SGD(double lr, double momentum, double weightDecay) { this(lr, momentum, 0, false, weightDecay); }

    public SGD(double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
        super(lr, weightDecay, "velocity");
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new IllegalArgumentException("sgd: nesterov needs momentum > 0 and dampening 0");
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
    }

    public String type() { return "sgd"; }

    @Override protected String[] activeSlots() { return momentum != 0 ? new String[] {"velocity"} : new String[0]; }

    protected void update(Backend backend, Tensor p, Tensor g, Tensor[] s, long t) {
        Tensor v = s.length > 0 ? s[0] : null;
        if (momentum == 0 || (!nesterov && dampening == 0)) {
            backend.sgd(p, g, v, lr, momentum, weightDecay);
            return;
        }
        for (int i = 0, n = p.size(); i < n; i++) {
            double pi = p.get(i);
            double d = g.get(i) + weightDecay * pi;
            double b = t == 1 ? d : momentum * v.get(i) + (1 - dampening) * d;
            v.set(i, b);
            p.set(i, pi - lr * (nesterov ? d + momentum * b : b));
        }
    }

    protected void putHyper(Map<String, Double> h) {
        h.put("momentum", momentum);
        // Written only when used, so files of plain/momentum SGD stay as they were.
        if (dampening != 0) h.put("dampening", dampening);
        if (nesterov) h.put("nesterov", 1.0);
    }
}
