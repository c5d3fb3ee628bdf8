package tinynn.ops.nn;

import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.ops.Ops;

/**
 * The spec's {@code standardize {mean, std}} layer: {@code (x − mean) / std} elementwise, with the statistics of the
 * training inputs fixed in the model (PyTorch's {@code transforms.Normalize}, Keras' {@code Normalization} after
 * {@code adapt}). Part of the network rather than of the data path, so that every reader of the model file
 * ({@code eval}, {@code predict}, ONNX) feeds the same raw inputs and gets the same numbers. No parameters.
 *
 * <p>Without mean and std the layer is unadapted: {@code tinynn train} fills them in from the training set before
 * the first step (the MNIST training pixels, scaled to [0, 1]: mean 0.1307, std 0.3081); building an unadapted layer
 * is an error.
 */
public record Standardize(double mean, double std) implements Layer {

    public Standardize {
        boolean unadapted = Double.isNaN(mean) && Double.isNaN(std);
        if (!unadapted) {
            if (!Double.isFinite(mean)) throw new IllegalArgumentException("standardize: mean must be a finite number, got " + mean);
            if (!(std > 0) || !Double.isFinite(std)) {
                throw new IllegalArgumentException("standardize: std must be a finite number > 0, got " + std + " (give both mean and std, or neither)");
            }
        }
    }

    /** The layer before {@code train} has seen the data. */
    public static Standardize unadapted() { return new Standardize(Double.NaN, Double.NaN); }

    public static Standardize of(Map<String, Object> attrs) {
        Attrs.only("standardize", attrs, "mean", "std");
        if (attrs.containsKey("mean") != attrs.containsKey("std")) {
            throw new IllegalArgumentException("standardize: give both 'mean' and 'std', or neither (train then computes them from the training set)");
        }
        return new Standardize(Attrs.real(attrs, "mean", Double.NaN), Attrs.real(attrs, "std", Double.NaN));
    }

    /** Whether mean and std are known. */
    public boolean adapted() { return !Double.isNaN(mean); }

    public String type() { return "standardize"; }

    public Node build(Node x, String name) {
        if (!adapted()) {
            throw new GraphException("layer '" + name + "': standardize has no mean and std yet; give them in the spec, or train the model"
                    + " (train computes them from the training set)");
        }
        return x.graph().scoped(name, () -> Ops.div(Ops.sub(x, Ops.scalar(x, mean)), Ops.scalar(x, std)));
    }

    public Map<String, Object> attrs() { return adapted() ? Map.of("mean", mean, "std", std) : Map.of(); }
}
