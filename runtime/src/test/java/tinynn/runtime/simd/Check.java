package tinynn.runtime.simd;

import java.util.Locale;

/** Comparison helpers that report the worst element on failure. */
final class Check {
    private Check() {
    }

    /**
     * Fails unless {@code |actual[i] - expected[i]| <= tol[i]} for all i of a {@code rows x cols} view
     * (row-major, leading dimension {@code cols}); the message names the worst element relative to its tolerance.
     */
    static void close(String what, double[] expected, double[] actual, double[] tol, int rows, int cols) {
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < rows * cols; i++) {
            double e = expected[i], a = actual[i];
            double ratio;
            if (Double.isNaN(e) || Double.isNaN(a)) {
                ratio = (Double.isNaN(e) && Double.isNaN(a)) ? 0 : Double.POSITIVE_INFINITY;
            } else if (e == a) {
                ratio = 0; // also covers equal infinities
            } else {
                ratio = Math.abs(a - e) / tol[i];
            }
            if (ratio > worstRatio || (worst < 0 && ratio > 1)) {
                worstRatio = ratio;
                worst = i;
            }
        }
        if (worstRatio > 1) {
            int r = worst / cols, c = worst % cols;
            throw new AssertionError(String.format(Locale.ROOT,
                    "%s: worst element [%d,%d] (flat %d of %dx%d): expected %.9g, actual %.9g, |diff| %.3g > tol %.3g",
                    what, r, c, worst, rows, cols, expected[worst], actual[worst],
                    Math.abs(actual[worst] - expected[worst]), tol[worst]));
        }
    }

    /** As {@link #close(String, double[], double[], double[], int, int)} with tolerance {@code abs + rel * |e|}. */
    static void close(String what, double[] expected, double[] actual, double abs, double rel) {
        double[] tol = new double[expected.length];
        for (int i = 0; i < tol.length; i++) tol[i] = abs + rel * Math.abs(expected[i]);
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": length " + actual.length + " != expected " + expected.length);
        }
        close(what, expected, actual, tol, 1, expected.length);
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }
}
