import numpy as np

from .initializer import ZerosInit


class Layer:
    def __init__(self, name):
        self.name = name
        self.params, self.grads = {}, {}

    def forward(self, inputs):
        raise NotImplementedError

    def backward(self, grad):
        raise NotImplementedError


class Dense(Layer):
    def __init__(self, num_in, num_out, w_init, b_init=ZerosInit()):
        super().__init__("Dense")
        self.params = {"w": w_init([num_in, num_out]), "b": b_init([1, num_out])}
        self.inputs = None

    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.params["w"] + self.params["b"]

    def backward(self, grad):
        self.grads["w"] = self.inputs.T @ grad
        self.grads["b"] = np.sum(grad, axis=0, keepdims=True)
        return grad @ self.params["w"].T


def pad_amounts(padding, k):
    """'same' (stride 1) splits k-1 as PyTorch and tinynn do: the smaller half before."""
    if padding == "valid":
        return 0, 0
    return (k - 1) // 2, k - 1 - (k - 1) // 2


def windows(x, kh, kw, stride):
    """A [N, C, OH, OW, KH, KW] view of every window of an NCHW array (no copy)."""
    n, c, h, w = x.shape
    oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    sn, sc, sh, sw = x.strides
    return np.lib.stride_tricks.as_strided(
        x, (n, c, oh, ow, kh, kw), (sn, sc, sh * stride, sw * stride, sh, sw), writeable=False)


def scatter_windows(dwin, shape, stride):
    """The adjoint of windows(): sums [N, C, OH, OW, KH, KW] gradients back into an NCHW array (col2im)."""
    n, c, oh, ow, kh, kw = dwin.shape
    out = np.zeros(shape, dwin.dtype)
    for i in range(kh):
        for j in range(kw):
            out[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride] += dwin[:, :, :, :, i, j]
    return out


class Conv2D(Layer):
    """im2col convolution: the windows become rows of a matrix that one GEMM multiplies by the kernels."""

    def __init__(self, in_c, out_c, k, w_init, stride=1, padding="valid", b_init=ZerosInit()):
        super().__init__("Conv2D")
        self.params = {"w": w_init([out_c, in_c, k, k]), "b": b_init([out_c])}
        self.k, self.stride, self.padding = k, stride, padding
        self.col, self.padded_shape, self.pads = None, None, None

    def forward(self, inputs):
        lo, hi = pad_amounts(self.padding, self.k)
        x = np.pad(inputs, ((0, 0), (0, 0), (lo, hi), (lo, hi))) if hi else inputs
        self.padded_shape, self.pads = x.shape, (lo, hi)
        win = windows(x, self.k, self.k, self.stride)
        n, c, oh, ow, kh, kw = win.shape
        self.col = win.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * kh * kw)
        w = self.params["w"]
        out = self.col @ w.reshape(w.shape[0], -1).T + self.params["b"]
        return out.reshape(n, oh, ow, -1).transpose(0, 3, 1, 2)

    def backward(self, grad):
        n, o, oh, ow = grad.shape
        w = self.params["w"]
        g = grad.transpose(0, 2, 3, 1).reshape(-1, o)
        self.grads["w"] = (g.T @ self.col).reshape(w.shape)
        self.grads["b"] = g.sum(axis=0)
        dcol = (g @ w.reshape(o, -1)).reshape(n, oh, ow, w.shape[1], self.k, self.k).transpose(0, 3, 1, 2, 4, 5)
        dx = scatter_windows(dcol, self.padded_shape, self.stride)
        lo, hi = self.pads
        return dx[:, :, lo:dx.shape[2] - hi, lo:dx.shape[3] - hi] if hi else dx


class MaxPool2D(Layer):
    def __init__(self, k, stride=None):
        super().__init__("MaxPool2D")
        self.k, self.stride = k, stride or k
        self.argmax, self.in_shape = None, None

    def forward(self, inputs):
        self.in_shape = inputs.shape
        win = windows(inputs, self.k, self.k, self.stride)
        flat = win.reshape(*win.shape[:4], -1)
        self.argmax = flat.argmax(axis=-1)
        return np.take_along_axis(flat, self.argmax[..., None], axis=-1)[..., 0]

    def backward(self, grad):
        dflat = np.zeros((*grad.shape, self.k * self.k), grad.dtype)
        np.put_along_axis(dflat, self.argmax[..., None], grad[..., None], axis=-1)
        return scatter_windows(dflat.reshape(*grad.shape, self.k, self.k), self.in_shape, self.stride)


class Flatten(Layer):
    def __init__(self):
        super().__init__("Flatten")
        self.in_shape = None

    def forward(self, inputs):
        self.in_shape = inputs.shape
        return inputs.reshape(inputs.shape[0], -1)

    def backward(self, grad):
        return grad.reshape(self.in_shape)


class Activation(Layer):
    def __init__(self, name):
        super().__init__(name)
        self.inputs = None

    def forward(self, inputs):
        self.inputs = inputs
        return self.func(inputs)

    def backward(self, grad):
        return self.derivative_func(self.inputs) * grad

    def func(self, x):
        raise NotImplementedError

    def derivative_func(self, x):
        raise NotImplementedError


class ReLU(Activation):
    def __init__(self):
        super().__init__("ReLU")

    def func(self, x):
        return np.maximum(x, 0.0)

    def derivative_func(self, x):
        return x > 0.0
