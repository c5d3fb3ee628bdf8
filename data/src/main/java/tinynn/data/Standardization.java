package tinynn.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Per-feature standardisation, (x − mean) / std, with the statistics of a training set: test data and later
 * predictions are scaled with the same numbers, which a model file keeps as text ({@link #text}/{@link #parse}). A
 * constant feature gets std 1 (it becomes 0 rather than dividing by zero).
 */
public record Standardization(double[] mean, double[] std) {

    public Standardization {
        if (mean.length != std.length) throw new IllegalArgumentException(mean.length + " means but " + std.length + " deviations");
        for (double s : std) if (!(s > 0) || !Double.isFinite(s)) throw new IllegalArgumentException("a standard deviation must be positive and finite: " + s);
    }

    public int features() { return mean.length; }

    /** Mean and population standard deviation of each of the {@code f} columns of the row-major {@code x}. */
    public static Standardization fit(float[] x, int f) {
        int n = x.length / f;
        if (n < 1) throw new IllegalArgumentException("no rows to take statistics from");
        double[] mean = new double[f], std = new double[f];
        for (int r = 0; r < n; r++) for (int j = 0; j < f; j++) mean[j] += x[r * f + j];
        for (int j = 0; j < f; j++) mean[j] /= n;
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < f; j++) {
                double d = x[r * f + j] - mean[j];
                std[j] += d * d;
            }
        }
        for (int j = 0; j < f; j++) {
            double s = Math.sqrt(std[j] / n);
            std[j] = s > 1e-12 * Math.max(1, Math.abs(mean[j])) ? s : 1;
        }
        return new Standardization(mean, std);
    }

    /** Standardises the row-major {@code x} in place. */
    public void apply(float[] x) {
        int f = features();
        for (int i = 0; i < x.length; i++) x[i] = (float) ((x[i] - mean[i % f]) / std[i % f]);
    }

    /** A standardised value of feature {@code j} back in its units. */
    public double invert(int j, double z) { return z * std[j] + mean[j]; }

    /** Comma-separated, shortest round-tripping decimals. */
    public static String text(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) sb.append(sb.isEmpty() ? "" : ",").append(Double.toString(d));
        return sb.toString();
    }

    /** Parses {@link #text}; {@code what} names the values in the message of an {@link IllegalArgumentException}. */
    public static double[] parse(String s, int n, String what) {
        List<String> parts = s == null ? List.of() : Arrays.asList(s.split(",", -1));
        if (parts.size() != n) throw new IllegalArgumentException(what + " has " + (s == null ? 0 : parts.size()) + " values, not " + n);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            try {
                v[i] = Double.parseDouble(parts.get(i).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": '" + parts.get(i) + "' is not a number");
            }
        }
        return v;
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "Standardization[%d features]", features());
    }
}
