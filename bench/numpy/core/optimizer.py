import numpy as np


class BaseOptimizer:
    """The article's optimizer: every gradient flattened into one vector, one step computed, reshaped back."""

    def __init__(self, lr):
        self.lr = lr

    def compute_step(self, grads, params):
        flat = np.concatenate([np.ravel(v) for grad in grads for v in grad.values()])
        flat_step = self._compute_step(flat)
        step, p = [], 0
        for param in params:
            layer = {}
            for k, v in param.items():
                layer[k] = flat_step[p:p + v.size].reshape(v.shape)
                p += v.size
            step.append(layer)
        return step

    def _compute_step(self, grad):
        raise NotImplementedError


class Adam(BaseOptimizer):
    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.b1, self.b2, self.eps = beta1, beta2, eps
        self.t, self.m, self.v = 0, 0, 0

    def _compute_step(self, grad):
        self.t += 1
        self.m = self.b1 * self.m + (1 - self.b1) * grad
        self.v = self.b2 * self.v + (1 - self.b2) * grad * grad
        m = self.m / (1 - self.b1 ** self.t)
        v = self.v / (1 - self.b2 ** self.t)
        return (-self.lr * m / (np.sqrt(v) + self.eps)).astype(np.float32)
