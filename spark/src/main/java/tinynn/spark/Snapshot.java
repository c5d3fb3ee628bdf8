package tinynn.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.optim.Optimizer;

/**
 * What a round broadcasts: the driver's parameters (and, for model averaging, the optimizer's state) at one
 * version, the global step. Values travel in the model's precision ({@link Values}) in the order of {@link #names};
 * executors look them up by name, so their models need not list parameters in the driver's order.
 *
 * @param optimizerSteps the optimizer's step count, or -1 when the optimizer's state is not sent
 * @param slots "slot/parameter" → values of the optimizer's state; empty unless the round trains locally
 */
record Snapshot(long step, int epoch, int epochStep, double lr, String[] names, Values[] values, long optimizerSteps,
                String[] slotKeys, Values[] slots) implements Serializable {

    static Snapshot of(Model model, int epoch, int epochStep, boolean withOptimizer) {
        Map<String, Tensor> params = model.parameters().asMap();
        String[] names = params.keySet().toArray(String[]::new);
        Values[] values = new Values[names.length];
        for (int i = 0; i < names.length; i++) values[i] = Values.of(params.get(names[i]));
        Optimizer opt = model.optimizer();
        Map<String, Values> slots = new LinkedHashMap<>();
        if (withOptimizer) {
            opt.slots().forEach((slot, byParam) -> byParam.forEach((p, t) -> slots.put(slot + "/" + p, Values.of(t))));
        }
        // optimizerSteps -1: the executors' optimizers are not used for the update (synchronous rounds).
        return new Snapshot(model.globalStep(), epoch, epochStep, opt.lr(), names, values, withOptimizer ? opt.steps() : -1,
                slots.keySet().toArray(String[]::new), slots.values().toArray(Values[]::new));
    }

    /** The optimizer state as {@link Optimizer#restore} takes it, shaped like the parameters. */
    Map<String, Map<String, Tensor>> slotMap(Map<String, Tensor> params) { return slotMap(slotKeys, slots, params); }

    static Map<String, Map<String, Tensor>> slotMap(String[] keys, Values[] values, Map<String, Tensor> params) {
        Map<String, Map<String, Tensor>> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            int cut = keys[i].indexOf('/');
            String slot = keys[i].substring(0, cut), param = keys[i].substring(cut + 1);
            Shape shape = params.get(param).shape();
            out.computeIfAbsent(slot, k -> new LinkedHashMap<>()).put(param, values[i].wrap(shape).copy());
        }
        return out;
    }
}
