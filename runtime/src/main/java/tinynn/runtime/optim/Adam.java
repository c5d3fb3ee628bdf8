package tinynn.runtime.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tinynn.runtime.Backend;
import tinynn.runtime.Parameters;
import tinynn.runtime.Tensor;

/**
 * Adam as in the article: m and v moving averages with bias correction, then
 * p ← p − lr·m̂/(√v̂ + eps) − weight_decay·p (the article subtracts weight_decay·p from the step
 * directly, not scaled by lr).
 */
public final class Adam implements Optimizer {
    private double lr;
    private final double beta1, beta2, eps, weightDecay;
    private final SlotState state = new SlotState("m", "v");

    public Adam(double lr) { this(lr, 0.9, 0.999, 1e-8, 0.0); }

    public Adam(double lr, double beta1, double beta2, double eps, double weightDecay) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    public String type() { return "adam"; }
    public double lr() { return lr; }
    public void lr(double lr) { this.lr = lr; }

    public void step(Backend backend, Parameters params, Map<String, Tensor> grads) {
        state.steps++;
        grads.forEach((name, grad) -> {
            Tensor p = params.get(name);
            backend.adam(p, grad, state.get("m", name, p), state.get("v", name, p), lr, beta1, beta2, eps, weightDecay, state.steps);
        });
    }

    public Runnable bind(Backend backend, List<String> names, List<Tensor> params, List<Tensor> grads) {
        Tensor[] p = params.toArray(Tensor[]::new), g = grads.toArray(Tensor[]::new);
        return new Runnable() {
            private Tensor[] m, v;
            private int version = -1;

            public void run() {
                if (version != state.version) {
                    m = state.resolve("m", names, p);
                    v = state.resolve("v", names, p);
                    version = state.version;
                }
                state.steps++;
                for (int i = 0; i < p.length; i++) backend.adam(p[i], g[i], m[i], v[i], lr, beta1, beta2, eps, weightDecay, state.steps);
            }
        };
    }

    public Map<String, Double> hyper() {
        Map<String, Double> h = new LinkedHashMap<>();
        h.put("lr", lr);
        h.put("beta1", beta1);
        h.put("beta2", beta2);
        h.put("eps", eps);
        h.put("weight_decay", weightDecay);
        return h;
    }

    public Map<String, Map<String, Tensor>> slots() { return state.slots; }
    public long steps() { return state.steps; }
    public void restore(long steps, Map<String, Map<String, Tensor>> slots) { state.restore(type(), steps, slots); }
}
