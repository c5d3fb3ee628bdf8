package tinynn.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Backend;
import tinynn.runtime.Backends;
import tinynn.runtime.Tensor;

/**
 * Each optimizer's first three steps on three parameters with fixed gradients, against the formulas of PyTorch's
 * documentation (Lion: its paper) evaluated here one scalar at a time in plain double arithmetic, written apart from
 * the implementation. Weight decay is on in every case, so its form (coupled L2 or decoupled) is checked too.
 */
class OptimizerStepsTest {
    static final double[] P0 = {0.5, -1.5, 2.0};
    static final double[][] G = {{0.1, -0.2, 0.3}, {-0.4, 0.5, 0.05}, {0.2, 0.2, -0.6}};
    static final double WD = 0.1;

    /** Runs three bound steps of {@code type} and returns the parameters after each step. */
    static double[][] run(String type, Map<String, Double> hyper) {
        Optimizer o = Optimizers.create(type, hyper);
        Backend be = Backends.create("simd", 1);
        Tensor p = Tensor.of(DType.F64, Shape.of(3), P0.clone());
        Tensor g = Tensor.zeros(DType.F64, Shape.of(3));
        Runnable step = o.bind(be, List.of("w"), List.of(p), List.of(g));
        double[][] out = new double[3][];
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 3; i++) g.set(i, G[s][i]);
            step.run();
            out[s] = p.toDoubles();
        }
        return out;
    }

    static void check(double[][] expected, double[][] actual) {
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[s][i], actual[s][i], 1e-12 * Math.max(1, Math.abs(expected[s][i])), "step " + (s + 1) + " param " + i);
            }
        }
    }

    /** Scalar reference: state per element, advanced by one step; returns the new parameter. */
    interface Ref { double step(int i, double p, double g, int t); }

    static double[][] reference(Ref r) {
        double[] p = P0.clone();
        double[][] out = new double[3][3];
        for (int t = 1; t <= 3; t++) {
            for (int i = 0; i < 3; i++) p[i] = r.step(i, p[i], G[t - 1][i], t);
            out[t - 1] = p.clone();
        }
        return out;
    }

    @Test void sgdPlain() {
        // p ← p − lr·(g + wd·p)
        check(reference((i, p, g, t) -> p - 0.1 * (g + WD * p)), run("sgd", Map.of("lr", 0.1, "weight_decay", WD)));
    }

    @Test void sgdMomentumDampeningNesterov() {
        double[] b = new double[3];
        double mu = 0.9, tau = 0.0;
        // nesterov: b1 = g; b_t = μ b + (1−τ) g; step g + μ b
        check(reference((i, p, g, t) -> {
            double d = g + WD * p;
            b[i] = t == 1 ? d : mu * b[i] + (1 - tau) * d;
            return p - 0.1 * (d + mu * b[i]);
        }), run("sgd", Map.of("lr", 0.1, "momentum", mu, "nesterov", 1.0, "weight_decay", WD)));
        double[] c = new double[3];
        check(reference((i, p, g, t) -> {
            double d = g + WD * p;
            c[i] = t == 1 ? d : 0.9 * c[i] + (1 - 0.3) * d;
            return p - 0.1 * c[i];
        }), run("sgd", Map.of("lr", 0.1, "momentum", 0.9, "dampening", 0.3, "weight_decay", WD)));
    }

    @Test void sgdMomentumKeepsTheBackendKernel() {
        double[] b = new double[3];
        check(reference((i, p, g, t) -> {
            double d = g + WD * p;
            b[i] = t == 1 ? d : 0.8 * b[i] + d;
            return p - 0.1 * b[i];
        }), run("sgd", Map.of("lr", 0.1, "momentum", 0.8, "weight_decay", WD)));
    }

    @Test void rmspropCenteredWithMomentum() {
        double[] v = new double[3], a = new double[3], b = new double[3];
        double alpha = 0.9, eps = 1e-8, mu = 0.5, lr = 0.01;
        check(reference((i, p, g, t) -> {
            double d = g + WD * p;
            v[i] = alpha * v[i] + (1 - alpha) * d * d;
            a[i] = alpha * a[i] + (1 - alpha) * d;
            double vt = v[i] - a[i] * a[i];
            b[i] = mu * b[i] + d / (Math.sqrt(vt) + eps);
            return p - lr * b[i];
        }), run("rmsprop", Map.of("lr", lr, "alpha", alpha, "momentum", mu, "centered", 1.0, "weight_decay", WD)));
    }

    @Test void rmspropPlain() {
        double[] v = new double[3];
        check(reference((i, p, g, t) -> {
            double d = g + WD * p;
            v[i] = 0.99 * v[i] + 0.01 * d * d;
            return p - 0.01 * d / (Math.sqrt(v[i]) + 1e-8);
        }), run("rmsprop", Map.of("weight_decay", WD)));
    }

    @Test void adagrad() {
        double[] s = {0.2, 0.2, 0.2};
        check(reference((i, p, g, t) -> {
            double d = g + WD * p;
            double clr = 0.05 / (1 + (t - 1) * 0.1);
            s[i] += d * d;
            return p - clr * d / (Math.sqrt(s[i]) + 1e-10);
        }), run("adagrad", Map.of("lr", 0.05, "lr_decay", 0.1, "initial_accumulator_value", 0.2, "weight_decay", WD)));
    }

    @Test void adadelta() {
        double[] v = new double[3], u = new double[3];
        double rho = 0.8, eps = 1e-6;
        check(reference((i, p, g, t) -> {
            double d = g + WD * p;
            v[i] = rho * v[i] + (1 - rho) * d * d;
            double delta = Math.sqrt(u[i] + eps) / Math.sqrt(v[i] + eps) * d;
            u[i] = rho * u[i] + (1 - rho) * delta * delta;
            return p - 1.0 * delta;
        }), run("adadelta", Map.of("rho", rho, "weight_decay", WD)));
    }

    /** Today's Adam: the article's decay p·wd subtracted unscaled by lr, beside the bias-corrected step. */
    @Test void adamArticleDecay() {
        double[] m = new double[3], v = new double[3];
        check(reference((i, p, g, t) -> {
            m[i] = 0.9 * m[i] + 0.1 * g;
            v[i] = 0.999 * v[i] + 0.001 * g * g;
            double mh = m[i] / (1 - Math.pow(0.9, t)), vh = v[i] / (1 - Math.pow(0.999, t));
            return p - 0.01 * mh / (Math.sqrt(vh) + 1e-8) - 0.01 * p;
        }), run("adam", Map.of("lr", 0.01, "weight_decay", 0.01)));
    }

    @Test void adamAmsgrad() {
        double[] m = new double[3], v = new double[3], vmax = new double[3];
        check(reference((i, p, g, t) -> {
            m[i] = 0.9 * m[i] + 0.1 * g;
            v[i] = 0.999 * v[i] + 0.001 * g * g;
            vmax[i] = Math.max(vmax[i], v[i]);
            double q = p * (1 - 0.01);
            return q - 0.01 / (1 - Math.pow(0.9, t)) * m[i] / (Math.sqrt(vmax[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8);
        }), run("adam", Map.of("lr", 0.01, "weight_decay", 0.01, "amsgrad", 1.0)));
    }

    @Test void adamw() {
        double[] m = new double[3], v = new double[3];
        double lr = 0.01;
        check(reference((i, p, g, t) -> {
            double q = p - lr * WD * p;
            m[i] = 0.9 * m[i] + 0.1 * g;
            v[i] = 0.999 * v[i] + 0.001 * g * g;
            double mh = m[i] / (1 - Math.pow(0.9, t)), vh = v[i] / (1 - Math.pow(0.999, t));
            return q - lr * mh / (Math.sqrt(vh) + 1e-8);
        }), run("adamw", Map.of("lr", lr, "weight_decay", WD)));
    }

    @Test void nadam() {
        double[] m = new double[3], v = new double[3];
        double b1 = 0.9, b2 = 0.999, psi = 4e-3, lr = 2e-3;
        check(reference((i, p, g, t) -> {
            double d = g + WD * p;
            double prod = 1;
            for (int k = 1; k <= t; k++) prod *= b1 * (1 - 0.5 * Math.pow(0.96, k * psi));
            double mut = b1 * (1 - 0.5 * Math.pow(0.96, t * psi)), mun = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * psi));
            m[i] = b1 * m[i] + (1 - b1) * d;
            v[i] = b2 * v[i] + (1 - b2) * d * d;
            double den = Math.sqrt(v[i] / (1 - Math.pow(b2, t))) + 1e-8;
            return p - lr * (1 - mut) / (1 - prod) * d / den - lr * mun / (1 - prod * mun) * m[i] / den;
        }), run("nadam", Map.of("weight_decay", WD)));
    }

    /** With β2 = 0.999, ρ_t = ρ∞ − 2t·β2ᵗ/(1−β2ᵗ) ≤ 5 for t ≤ 5: the first three steps are the unrectified p − lr·m̂. */
    @Test void radamUnrectified() {
        double[] m = new double[3];
        check(reference((i, p, g, t) -> {
            double d = g + WD * p;
            m[i] = 0.9 * m[i] + 0.1 * d;
            return p - 0.01 * m[i] / (1 - Math.pow(0.9, t));
        }), run("radam", Map.of("lr", 0.01, "weight_decay", WD)));
    }

    /** Steps 1..9 with β2 = 0.999: ρ_t ≤ 5 up to step 5 (unrectified), > 5 after (rectified). */
    @Test void radamLater() {
        Optimizer o = Optimizers.create("radam", Map.of("lr", 0.01));
        Backend be = Backends.create("simd", 1);
        Tensor p = Tensor.of(DType.F64, Shape.of(1), 1.0);
        Tensor g = Tensor.zeros(DType.F64, Shape.of(1));
        Runnable step = o.bind(be, List.of("w"), List.of(p), List.of(g));
        double ref = 1.0, m = 0, v = 0, b1 = 0.9, b2 = 0.999, rinf = 2 / (1 - b2) - 1;
        int rectified = 0;
        for (int t = 1; t <= 9; t++) {
            double gi = 0.3 - 0.1 * t;
            g.set(0, gi);
            step.run();
            m = b1 * m + (1 - b1) * gi;
            v = b2 * v + (1 - b2) * gi * gi;
            double mh = m / (1 - Math.pow(b1, t));
            double rt = rinf - 2 * t * Math.pow(b2, t) / (1 - Math.pow(b2, t));
            if (rt > 5) {
                rectified++;
                double l = Math.sqrt(1 - Math.pow(b2, t)) / (Math.sqrt(v) + 1e-8);
                double r = Math.sqrt((rt - 4) * (rt - 2) * rinf / ((rinf - 4) * (rinf - 2) * rt));
                ref -= 0.01 * mh * l * r;
            } else {
                ref -= 0.01 * mh;
            }
            assertEquals(ref, p.get(0), 1e-12, "step " + t);
        }
        assertEquals(true, rectified >= 3, "the rectified branch ran");
    }

    @Test void lion() {
        double[] m = new double[3];
        double lr = 0.01, b1 = 0.9, b2 = 0.99;
        check(reference((i, p, g, t) -> {
            double c = b1 * m[i] + (1 - b1) * g;
            double q = p * (1 - lr * WD) - lr * Math.signum(c);
            m[i] = b2 * m[i] + (1 - b2) * g;
            return q;
        }), run("lion", Map.of("lr", lr, "weight_decay", WD)));
    }
}
