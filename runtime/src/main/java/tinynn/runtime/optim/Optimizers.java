package tinynn.runtime.optim;

import java.util.Map;

/** Creates optimizers from their stored type and hyper-parameters. */
public final class Optimizers {
    private Optimizers() {}

    public static Optimizer create(String type, Map<String, Double> h) {
        double lr = h.getOrDefault("lr", 1e-3);
        return switch (type) {
            case "adam" -> new Adam(lr, h.getOrDefault("beta1", 0.9), h.getOrDefault("beta2", 0.999),
                    h.getOrDefault("eps", 1e-8), h.getOrDefault("weight_decay", 0.0));
            case "sgd" -> new SGD(lr, h.getOrDefault("momentum", 0.0), h.getOrDefault("weight_decay", 0.0));
            default -> throw new IllegalArgumentException("unknown optimizer '" + type + "'; use adam or sgd");
        };
    }
}
