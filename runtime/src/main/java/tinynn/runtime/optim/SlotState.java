package tinynn.runtime.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tinynn.runtime.Tensor;

/** Per-parameter state tensors, created (as zeros, or a slot's initial value) the first time a parameter is updated. */
final class SlotState {
    final Map<String, Map<String, Tensor>> slots = new LinkedHashMap<>();
    private final Map<String, Double> initial = new LinkedHashMap<>();
    long steps;
    /** Changes when restore replaces the slot tensors, so bound updates resolve them again. */
    int version;

    SlotState(String... names) {
        for (String n : names) slots.put(n, new LinkedHashMap<>());
    }

    /** New tensors of this slot start filled with {@code value} instead of zeros (Adagrad's initial accumulator). */
    void initial(String slot, double value) { initial.put(slot, value); }

    Tensor get(String slot, String param, Tensor like) {
        Map<String, Tensor> bySlot = slots.get(slot);
        Tensor t = bySlot.get(param);
        if (t == null) {
            bySlot.put(param, t = Tensor.zeros(like.dtype(), like.shape()));
            double fill = initial.getOrDefault(slot, 0.0);
            if (fill != 0) for (int i = 0; i < t.size(); i++) t.set(i, fill);
        }
        return t;
    }

    void restore(String type, long steps, Map<String, Map<String, Tensor>> saved) {
        for (String name : saved.keySet()) {
            if (!slots.containsKey(name)) throw new IllegalArgumentException(type + " has no slot '" + name + "'; the saved state is from another optimizer");
            slots.get(name).clear();
            for (var e : saved.get(name).entrySet()) slots.get(name).put(e.getKey(), e.getValue().copy());
        }
        this.steps = steps;
        version++;
    }

    /** The slot tensors of these parameters, in order. */
    Tensor[] resolve(String slot, List<String> names, Tensor[] params) {
        Tensor[] out = new Tensor[names.size()];
        for (int i = 0; i < out.length; i++) out[i] = get(slot, names.get(i), params[i]);
        return out;
    }
}
