import numpy as np


def fans(shape):
    """PyTorch's fans: dense [in, out]; conv [out, in, kh, kw] counts the receptive field."""
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[2:]))
    return shape[1] * receptive, shape[0] * receptive


class XavierUniformInit:
    def __init__(self, rng):
        self.rng = rng

    def __call__(self, shape):
        fan_in, fan_out = fans(shape)
        a = np.sqrt(6.0 / (fan_in + fan_out))
        return self.rng.uniform(-a, a, shape).astype(np.float32)


class ZerosInit:
    def __call__(self, shape):
        return np.zeros(shape, np.float32)
