#!/usr/bin/env python3
"""Finite-difference check of the numpy layers' backward passes (float64), so the timed code is the right code."""
import numpy as np

from core.initializer import XavierUniformInit
from core.layer import Conv2D, Dense, Flatten, MaxPool2D, ReLU
from core.net import Net


def check(net, x, eps=1e-6):
    for layer in net.layers:
        for k in layer.params:
            layer.params[k] = layer.params[k].astype(np.float64)
    r = np.random.default_rng(1).standard_normal(net.forward(x).shape)
    grad_in = r
    for layer in reversed(net.layers):
        grad_in = layer.backward(grad_in)
    worst = 0.0
    targets = [("x", None, x, grad_in)] + [(k, layer, layer.params[k], layer.grads[k]) for layer in net.layers for k in layer.params]
    for name, layer, arr, analytic in targets:
        flat = arr.reshape(-1)
        for i in np.random.default_rng(2).choice(flat.size, min(flat.size, 20), replace=False):
            old = flat[i]
            flat[i] = old + eps; up = float((net.forward(x) * r).sum())
            flat[i] = old - eps; down = float((net.forward(x) * r).sum())
            flat[i] = old
            numeric = (up - down) / (2 * eps)
            worst = max(worst, abs(numeric - analytic.reshape(-1)[i]) / max(1.0, abs(numeric)))
    return worst


rng = np.random.default_rng(0)
w = XavierUniformInit(rng)
net = Net([Conv2D(2, 3, 3, w, padding="same"), ReLU(), MaxPool2D(2), Conv2D(3, 4, 3, w, stride=2), MaxPool2D(2, 1), Flatten(), Dense(4, 5, w)])
x = rng.standard_normal((2, 2, 12, 12))
err = check(net, x)
print(f"worst relative error {err:.2e}")
assert err < 1e-6, err
