package tinynn.runtime.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tinynn.runtime.Backend;
import tinynn.runtime.Parameters;
import tinynn.runtime.Tensor;

/** SGD with optional momentum (PyTorch's form: v ← μ·v + g + wd·p; p ← p − lr·v). */
public final class SGD implements Optimizer {
    private double lr;
    private final double momentum, weightDecay;
    private final SlotState state = new SlotState("velocity");

    public SGD(double lr) { this(lr, 0, 0); }

    public SGD(double lr, double momentum, double weightDecay) {
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    public String type() { return "sgd"; }
    public double lr() { return lr; }
    public void lr(double lr) { this.lr = lr; }

    public void step(Backend backend, Parameters params, Map<String, Tensor> grads) {
        state.steps++;
        grads.forEach((name, grad) -> {
            Tensor p = params.get(name);
            Tensor v = momentum != 0 ? state.get("velocity", name, p) : null;
            backend.sgd(p, grad, v, lr, momentum, weightDecay);
        });
    }

    public Runnable bind(Backend backend, List<String> names, List<Tensor> params, List<Tensor> grads) {
        Tensor[] p = params.toArray(Tensor[]::new), g = grads.toArray(Tensor[]::new);
        return new Runnable() {
            private Tensor[] velocity;
            private int version = -1;

            public void run() {
                if (version != state.version) {
                    velocity = momentum != 0 ? state.resolve("velocity", names, p) : new Tensor[p.length];
                    version = state.version;
                }
                state.steps++;
                for (int i = 0; i < p.length; i++) backend.sgd(p[i], g[i], velocity[i], lr, momentum, weightDecay);
            }
        };
    }

    public Map<String, Double> hyper() {
        Map<String, Double> h = new LinkedHashMap<>();
        h.put("lr", lr);
        h.put("momentum", momentum);
        h.put("weight_decay", weightDecay);
        return h;
    }

    public Map<String, Map<String, Tensor>> slots() { return state.slots; }
    public long steps() { return state.steps; }
    public void restore(long steps, Map<String, Map<String, Tensor>> slots) { state.restore(type(), steps, slots); }
}
