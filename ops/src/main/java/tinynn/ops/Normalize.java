package tinynn.ops;

import tinynn.graph.Node;

/**
 * The normalisation composites batch norm and layer norm are built from: (x − mean) / √(var + eps) · γ + β,
 * with the mean and the biased variance either computed over some axes of x or given (running statistics).
 * γ, β and given statistics broadcast against x (numpy rules), so callers reshape them to e.g. [1, C, 1, 1].
 */
public final class Normalize {
    private Normalize() {}

    /** The normalised output and the statistics it used (kept dims, for running averages). */
    public record Result(Node y, Node mean, Node variance) {}

    /** Normalises with the mean and biased variance of x over {@code axes}. */
    public static Result overAxes(Node x, Node gamma, Node beta, double eps, int... axes) {
        Node mean = Ops.mean(x, true, axes);
        Node centred = Ops.sub(x, mean);
        Node variance = Ops.mean(Ops.square(centred), true, axes);
        return new Result(scaleShift(centred, variance, gamma, beta, eps), mean, variance);
    }

    /** Normalises with given statistics (inference-mode batch norm). */
    public static Node withStatistics(Node x, Node mean, Node variance, Node gamma, Node beta, double eps) {
        return scaleShift(Ops.sub(x, mean), variance, gamma, beta, eps);
    }

    /** centred · (γ / √(var + eps)) + β: the per-channel factor is formed on the small tensor, then broadcast once. */
    private static Node scaleShift(Node centred, Node variance, Node gamma, Node beta, double eps) {
        Node inv = Ops.div(gamma, Ops.sqrt(Ops.add(variance, Ops.scalar(variance, eps))));
        return Ops.add(Ops.mul(centred, inv), beta);
    }
}
