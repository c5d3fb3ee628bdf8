package tinynn.runtime.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Creates optimizers from their stored type and hyper-parameters (defaults as PyTorch's). */
public final class Optimizers {
    private Optimizers() {}

    /** Type → its own hyper-parameters with defaults; every type also takes lr, weight_decay, clip_norm and clip_value. */
    private static final Map<String, Map<String, Double>> DEFAULTS = new LinkedHashMap<>();
    private static final Map<String, Double> LR = Map.of("sgd", 0.01, "rmsprop", 0.01, "adagrad", 0.01, "adadelta", 1.0,
            "nadam", 2e-3, "lion", 1e-4);

    static {
        DEFAULTS.put("sgd", ordered("momentum", 0, "dampening", 0, "nesterov", 0));
        DEFAULTS.put("rmsprop", ordered("alpha", 0.99, "eps", 1e-8, "momentum", 0, "centered", 0));
        DEFAULTS.put("adagrad", ordered("lr_decay", 0, "initial_accumulator_value", 0, "eps", 1e-10));
        DEFAULTS.put("adadelta", ordered("rho", 0.9, "eps", 1e-6));
        DEFAULTS.put("adam", ordered("beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "amsgrad", 0));
        DEFAULTS.put("adamw", ordered("beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "amsgrad", 0));
        DEFAULTS.put("nadam", ordered("beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "momentum_decay", 4e-3));
        DEFAULTS.put("radam", ordered("beta1", 0.9, "beta2", 0.999, "eps", 1e-8));
        DEFAULTS.put("lion", ordered("beta1", 0.9, "beta2", 0.99));
    }

    private static final Set<String> COMMON = Set.of("lr", "weight_decay", "clip_norm", "clip_value");

    private static Map<String, Double> ordered(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        return m;
    }

    /** Every optimizer type, in catalogue order. */
    public static List<String> names() { return List.copyOf(DEFAULTS.keySet()); }

    /** The default learning rate of a type (PyTorch's). */
    public static double defaultLr(String type) { return LR.getOrDefault(type, 1e-3); }

    /**
     * The optimizer {@code type} with hyper-parameters {@code h} (missing ones take their defaults).
     *
     * @throws IllegalArgumentException (one line) for an unknown type or hyper-parameter, or a bad value
     */
    public static Optimizer create(String type, Map<String, Double> h) {
        Map<String, Double> own = DEFAULTS.get(type);
        if (own == null) throw new IllegalArgumentException("unknown optimizer '" + type + "'; use " + String.join(", ", names()));
        for (String k : h.keySet()) {
            if (!own.containsKey(k) && !COMMON.contains(k)) {
                throw new IllegalArgumentException("optimizer " + type + " has no hyper-parameter '" + k + "'; it takes lr, "
                        + String.join(", ", own.keySet()) + ", weight_decay, clip_norm, clip_value");
            }
        }
        Map<String, Double> a = new LinkedHashMap<>(own);
        a.put("lr", defaultLr(type));
        a.put("weight_decay", type.equals("adamw") ? 1e-2 : 0.0);
        a.putAll(h);
        double lr = a.get("lr"), wd = a.get("weight_decay");
        SlotOptimizer o = switch (type) {
            case "sgd" -> new SGD(lr, a.get("momentum"), a.get("dampening"), flag(a, "nesterov"), wd);
            case "rmsprop" -> new RMSprop(lr, a.get("alpha"), a.get("eps"), wd, a.get("momentum"), flag(a, "centered"));
            case "adagrad" -> new Adagrad(lr, a.get("lr_decay"), wd, a.get("initial_accumulator_value"), a.get("eps"));
            case "adadelta" -> new Adadelta(lr, a.get("rho"), a.get("eps"), wd);
            case "adam" -> new Adam(lr, a.get("beta1"), a.get("beta2"), a.get("eps"), wd, flag(a, "amsgrad"));
            case "adamw" -> new AdamW(lr, a.get("beta1"), a.get("beta2"), a.get("eps"), wd, flag(a, "amsgrad"));
            case "nadam" -> new NAdam(lr, a.get("beta1"), a.get("beta2"), a.get("eps"), wd, a.get("momentum_decay"));
            case "radam" -> new RAdam(lr, a.get("beta1"), a.get("beta2"), a.get("eps"), wd);
            case "lion" -> new Lion(lr, a.get("beta1"), a.get("beta2"), wd);
            default -> throw new IllegalStateException(type);
        };
        if (h.containsKey("clip_norm")) o.clipNorm(h.get("clip_norm"));
        if (h.containsKey("clip_value")) o.clipValue(h.get("clip_value"));
        return o;
    }

    private static boolean flag(Map<String, Double> a, String key) {
        double v = a.get(key);
        if (v != 0 && v != 1) throw new IllegalArgumentException("optimizer hyper-parameter '" + key + "' is a flag: 0 or 1, got " + v);
        return v == 1;
    }
}
