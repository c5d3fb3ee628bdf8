package tinynn.runtime.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tinynn.runtime.Backend;
import tinynn.runtime.Parameters;
import tinynn.runtime.Tensor;

/**
 * What every optimizer shares: the learning rate, weight decay, gradient clipping, the slot state and step count,
 * and the bound training step (buffers resolved once, nothing looked up or allocated per step). A subclass names
 * its slots and its extra hyper-parameters and updates one parameter at a time in {@link #update}.
 */
abstract class SlotOptimizer implements Optimizer {
    protected double lr;
    protected final double weightDecay;
    protected final SlotState state;
    private final GradClip clip = new GradClip();

    SlotOptimizer(double lr, double weightDecay, String... slots) {
        this.lr = lr;
        this.weightDecay = weightDecay;
        this.state = new SlotState(slots);
    }

    public double lr() { return lr; }
    public void lr(double lr) { this.lr = lr; }
    public double clipNorm() { return clip.norm; }
    public double clipValue() { return clip.value; }

    public void clipNorm(double maxNorm) {
        if (!(maxNorm >= 0)) throw new IllegalArgumentException("clip_norm must be >= 0 (0 = off), got " + maxNorm);
        clip.norm = maxNorm;
    }

    public void clipValue(double maxValue) {
        if (!(maxValue >= 0)) throw new IllegalArgumentException("clip_value must be >= 0 (0 = off), got " + maxValue);
        clip.value = maxValue;
    }

    /** The slots this configuration uses (SGD without momentum: none). */
    protected String[] activeSlots() { return state.slots.keySet().toArray(String[]::new); }

    /** Called once per step after the step count advanced, before the parameters are updated (per-step scalars). */
    protected void beginStep(long t) {}

    /** Updates one parameter in place; {@code slots} are this parameter's tensors of {@link #activeSlots()}, in order. */
    protected abstract void update(Backend backend, Tensor p, Tensor g, Tensor[] slots, long t);

    /** The type-specific hyper-parameters, in the order they are written. */
    protected abstract void putHyper(Map<String, Double> h);

    public void step(Backend backend, Parameters params, Map<String, Tensor> grads) {
        String[] active = activeSlots();
        if (clip.active()) clip.apply(grads.values().toArray(Tensor[]::new));
        state.steps++;
        beginStep(state.steps);
        grads.forEach((name, grad) -> {
            Tensor p = params.get(name);
            Tensor[] s = new Tensor[active.length];
            for (int k = 0; k < s.length; k++) s[k] = state.get(active[k], name, p);
            update(backend, p, grad, s, state.steps);
        });
    }

    public Runnable bind(Backend backend, List<String> names, List<Tensor> params, List<Tensor> grads) {
        Tensor[] p = params.toArray(Tensor[]::new), g = grads.toArray(Tensor[]::new);
        String[] active = activeSlots();
        return new Runnable() {
            private final Tensor[][] slots = new Tensor[p.length][active.length];
            private int version = -1;

            public void run() {
                if (version != state.version) {
                    for (int k = 0; k < active.length; k++) {
                        Tensor[] r = state.resolve(active[k], names, p);
                        for (int i = 0; i < p.length; i++) slots[i][k] = r[i];
                    }
                    version = state.version;
                }
                if (clip.active()) clip.apply(g);
                state.steps++;
                beginStep(state.steps);
                for (int i = 0; i < p.length; i++) update(backend, p[i], g[i], slots[i], state.steps);
            }
        };
    }

    public Map<String, Double> hyper() {
        Map<String, Double> h = new LinkedHashMap<>();
        h.put("lr", lr);
        putHyper(h);
        h.put("weight_decay", weightDecay);
        // Written only when on, so files of runs without clipping stay as they were.
        if (clip.norm > 0) h.put("clip_norm", clip.norm);
        if (clip.value > 0) h.put("clip_value", clip.value);
        return h;
    }

    public Map<String, Map<String, Tensor>> slots() { return state.slots; }
    public long steps() { return state.steps; }

    public void restore(long steps, Map<String, Map<String, Tensor>> slots) {
        state.restore(type(), steps, slots);
        restored(steps);
    }

    /** After {@link #restore}: rebuild per-run scalars that follow from the step count. */
    protected void restored(long steps) {}

    static double flag(boolean b) { return b ? 1 : 0; }
}
