package tinynn.runtime.optim;

import tinynn.runtime.Tensor;

/** The AMSGrad variant of the Adam step, a plain loop (the non-amsgrad step is the backend's SIMD kernel). */
final class AdamKernels {
    private AdamKernels() {}

    /** p ← p·(1 − decay); m, v as Adam; v_max ← max(v_max, v); p ← p − lr/(1−β1ᵗ)·m/(√v_max/√(1−β2ᵗ) + eps). */
    static void amsgrad(Tensor p, Tensor g, Tensor m, Tensor v, Tensor vMax, double lr, double b1, double b2, double eps,
                        double decay, long t) {
        double c1 = 1 - Math.pow(b1, t), c2 = Math.sqrt(1 - Math.pow(b2, t));
        for (int i = 0, n = p.size(); i < n; i++) {
            double gi = g.get(i);
            double mi = b1 * m.get(i) + (1 - b1) * gi;
            double vi = b2 * v.get(i) + (1 - b2) * gi * gi;
            double vm = Math.max(vMax.get(i), vi);
            m.set(i, mi);
            v.set(i, vi);
            vMax.set(i, vm);
            double pi = p.get(i) * (1 - decay);
            p.set(i, pi - lr / c1 * mi / (Math.sqrt(vm) / c2 + eps));
        }
    }
}
