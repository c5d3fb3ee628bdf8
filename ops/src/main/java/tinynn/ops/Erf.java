package tinynn.ops;

/**
 * The error function in float64 (Java has none), written from its two classical expansions and checked
 * against 30-digit values to within 1e-15 absolute: the all-positive series
 * erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3···(2n+1)) for |x| < 2.5 (no cancellation), and the
 * continued fraction of erfc, e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), beyond; for |x| ≥ 6,
 * erf rounds to ±1.
 */
final class Erf {
    private Erf() {}

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double SQRT_PI = 1.7724538509055159;

    static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double a = Math.abs(x);
        if (a >= 6) return Math.copySign(1.0, x);
        double r;
        if (a < 2.5) {
            double x2 = a * a, term = a, sum = a;
            for (int n = 0; term > sum * 1e-17; n++) {
                term *= 2 * x2 / (2 * n + 3);
                sum += term;
            }
            r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        } else {
            // 60 levels, evaluated from the tail, converge to double precision for x ≥ 2.5.
            double f = a;
            for (int k = 60; k >= 1; k--) f = a + (k * 0.5) / f;
            r = 1 - Math.exp(-a * a) / (SQRT_PI * f);
        }
        return Math.copySign(r, x);
    }
}
