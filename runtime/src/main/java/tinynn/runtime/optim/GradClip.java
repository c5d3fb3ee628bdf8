package tinynn.runtime.optim;

import tinynn.runtime.Tensor;

/**
 * Gradient clipping before the optimizer step, in place: first each element to [−clipValue, clipValue]
 * ({@code torch.nn.utils.clip_grad_value_}), then all gradients together scaled by
 * min(1, clipNorm / (‖g‖₂ + 1e-6)) where ‖g‖₂ is the L2 norm over every parameter's gradient at once
 * ({@code torch.nn.utils.clip_grad_norm_}). 0 turns either off. The norm is summed in double.
 */
final class GradClip {
    double norm, value;

    boolean active() { return norm > 0 || value > 0; }

    void apply(Tensor[] grads) {
        if (value > 0) {
            for (Tensor g : grads) {
                for (int i = 0, n = g.size(); i < n; i++) {
                    double x = g.get(i);
                    if (x > value) g.set(i, value);
                    else if (x < -value) g.set(i, -value);
                }
            }
        }
        if (norm > 0) {
            double sq = 0;
            for (Tensor g : grads) for (int i = 0, n = g.size(); i < n; i++) sq += g.get(i) * g.get(i);
            double coef = norm / (Math.sqrt(sq) + 1e-6);
            if (coef < 1) for (Tensor g : grads) for (int i = 0, n = g.size(); i < n; i++) g.set(i, g.get(i) * coef);
        }
    }
}
