package tinynn.runtime.metrics;

/**
 * Regression metrics of predictions against targets. R² and explained variance follow
 * scikit-learn ({@code force_finite=True}) when the targets are constant: 1 for a perfect fit,
 * otherwise 0, instead of dividing by a zero variance.
 */
public final class Regression {
    private Regression() {}

    /** Mean of (y − ŷ)². */
    public static double mse(double[] actual, double[] predicted) {
        check("mse", actual, predicted);
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = actual[i] - predicted[i];
            s += d * d;
        }
        return s / actual.length;
    }

    /** Mean of |y − ŷ|. */
    public static double mae(double[] actual, double[] predicted) {
        check("mae", actual, predicted);
        double s = 0;
        for (int i = 0; i < actual.length; i++) s += Math.abs(actual[i] - predicted[i]);
        return s / actual.length;
    }

    /** √MSE. */
    public static double rmse(double[] actual, double[] predicted) { return Math.sqrt(mse(actual, predicted)); }

    /** 1 − Σ(y − ŷ)² / Σ(y − ȳ)². */
    public static double r2(double[] actual, double[] predicted) {
        check("r2", actual, predicted);
        return finite(mse(actual, predicted), variance(actual)); // both divided by n
    }

    /** 1 − Var(y − ŷ) / Var(y): like R² but blind to a constant offset in the predictions. */
    public static double explainedVariance(double[] actual, double[] predicted) {
        check("explained variance", actual, predicted);
        double[] residual = new double[actual.length];
        for (int i = 0; i < actual.length; i++) residual[i] = actual[i] - predicted[i];
        return finite(variance(residual), variance(actual));
    }

    private static double finite(double num, double den) {
        if (den == 0) return num == 0 ? 1 : 0;
        return 1 - num / den;
    }

    /** Population variance (two passes, so large means do not cancel). */
    private static double variance(double[] v) {
        double mean = 0;
        for (double x : v) mean += x;
        mean /= v.length;
        double s = 0;
        for (double x : v) s += (x - mean) * (x - mean);
        return s / v.length;
    }

    private static void check(String metric, double[] actual, double[] predicted) {
        Metrics.sameLength(metric, actual.length, predicted.length);
        Metrics.nonEmpty(metric, actual.length);
    }
}
