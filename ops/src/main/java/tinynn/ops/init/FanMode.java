package tinynn.ops.init;

import tinynn.graph.GraphException;
import tinynn.graph.Shape;

/**
 * Which fan a variance-scaling initializer divides by. Kept as twice the fan so that Xavier's
 * (fan_in + fan_out) needs no halving: the existing initializers' arithmetic stays bit for bit.
 */
public enum FanMode {
    FAN_IN, FAN_OUT, FAN_AVG;

    /** 2·fan: 2·fan_in, 2·fan_out or fan_in + fan_out. */
    double twiceFan(Shape s) {
        return switch (this) {
            case FAN_IN -> 2.0 * Initializers.fanIn(s);
            case FAN_OUT -> 2.0 * Initializers.fanOut(s);
            case FAN_AVG -> (double) Initializers.fanIn(s) + Initializers.fanOut(s);
        };
    }

    public String specName() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static FanMode of(String name) {
        return switch (name) {
            case "fan_in" -> FAN_IN;
            case "fan_out" -> FAN_OUT;
            case "fan_avg" -> FAN_AVG;
            default -> throw new GraphException("initializer mode '" + name + "' is not fan_in, fan_out or fan_avg");
        };
    }
}
