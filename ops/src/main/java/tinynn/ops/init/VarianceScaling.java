package tinynn.ops.init;

import java.util.random.RandomGenerator;
import tinynn.graph.GraphException;
import tinynn.graph.Initializer;
import tinynn.graph.Shape;

/**
 * The Xavier/He/LeCun family: zero-mean values of variance gain²·scale / fan, from a uniform
 * U(±√3·σ) or a normal N(0, σ²). Xavier is scale 1 over fan_avg, He scale 2 over fan_in (the ReLU
 * gain √2 built in, as PyTorch's kaiming with nonlinearity='relu'), LeCun scale 1 over fan_in.
 * {@code gain} multiplies σ on top of that; {@code mode} replaces the family's fan.
 */
record VarianceScaling(String family, double scale, FanMode defaultMode, boolean uniform, double gain, FanMode mode)
        implements Initializer {

    VarianceScaling {
        if (!(gain > 0) || Double.isInfinite(gain)) throw new GraphException("initializer " + family + ": gain must be positive and finite, got " + gain);
    }

    public double[] values(Shape s, RandomGenerator r) {
        double twiceFan = mode.twiceFan(s);
        double[] out = new double[s.elements()];
        if (uniform) {
            double b = gain * Math.sqrt(6.0 * scale / twiceFan); // √3·σ, σ² = scale / fan
            for (int i = 0; i < out.length; i++) out[i] = -b + (b - -b) * r.nextDouble();
        } else {
            double std = gain * Math.sqrt(2.0 * scale / twiceFan);
            for (int i = 0; i < out.length; i++) out[i] = 0 + std * r.nextGaussian();
        }
        return out;
    }

    /** "he_normal", or "he_normal(gain=0.5,mode=fan_out)" when a setting differs from the default. */
    public String describe() {
        String name = family + (uniform ? "_uniform" : "_normal");
        StringBuilder args = new StringBuilder();
        if (gain != 1) args.append("gain=").append(gain);
        if (mode != defaultMode) args.append(args.isEmpty() ? "" : ",").append("mode=").append(mode.specName());
        return args.isEmpty() ? name : name + "(" + args + ")";
    }
}
