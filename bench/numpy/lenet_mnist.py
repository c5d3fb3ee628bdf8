#!/usr/bin/env python3
"""LeNet-5 on MNIST with the article's numpy tinynn design (bench/numpy/core), timed per epoch.

Same net, loss, optimizer, batch size and batch order rules as tinynn's --arch lenet5 (shuffled each epoch,
last partial batch kept); float32 NCHW, pixels/255, Xavier-uniform weights with PyTorch's conv fans, zero biases.
Threads: set OPENBLAS_NUM_THREADS (numpy here uses OpenBLAS; see numpy.show_config()) before starting.
Usage: lenet_mnist.py [--epochs N] [--batches B] [--data DIR] [--seed S]
Prints one line per epoch: "numpy epoch E: S seconds, test accuracy A"; with --batches B only the first B
batches of each epoch run and the line says the time is extrapolated to the full epoch.
"""
import argparse
import os
import time

import numpy as np

from core.initializer import XavierUniformInit
from core.layer import Conv2D, Dense, Flatten, MaxPool2D, ReLU
from core.loss import SoftmaxCrossEntropyLoss
from core.model import Model
from core.net import Net
from core.optimizer import Adam


def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * data[3]).reshape(dims)


def lenet5(rng):
    w = XavierUniformInit(rng)
    return Net([
        Conv2D(1, 6, 5, w, padding="same"), ReLU(), MaxPool2D(2),
        Conv2D(6, 16, 5, w, padding="valid"), ReLU(), MaxPool2D(2),
        Flatten(),
        Dense(16 * 5 * 5, 120, w), ReLU(),
        Dense(120, 84, w), ReLU(),
        Dense(84, 10, w)])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batches", type=int, default=0, help="time only this many batches per epoch and extrapolate")
    ap.add_argument("--data", default=os.path.join(os.environ.get("TINYNN_DATA", os.path.expanduser("~/.cache/tinynn")), "mnist"))
    ap.add_argument("--seed", type=int, default=31)
    a = ap.parse_args()
    x = idx(os.path.join(a.data, "train-images-idx3-ubyte")).reshape(-1, 1, 28, 28).astype(np.float32) / 255
    y = np.eye(10, dtype=np.float32)[idx(os.path.join(a.data, "train-labels-idx1-ubyte"))]
    tx = idx(os.path.join(a.data, "t10k-images-idx3-ubyte")).reshape(-1, 1, 28, 28).astype(np.float32) / 255
    ty = idx(os.path.join(a.data, "t10k-labels-idx1-ubyte"))
    rng = np.random.default_rng(a.seed)
    model = Model(lenet5(rng), SoftmaxCrossEntropyLoss(), Adam(lr=1e-3))
    batch = 128
    total = (len(x) + batch - 1) // batch
    run = min(a.batches, total) if a.batches > 0 else total
    for epoch in range(a.epochs):
        order = rng.permutation(len(x))
        start = time.perf_counter()
        for b in range(run):
            ids = order[b * batch:(b + 1) * batch]
            pred = model.forward(x[ids])
            _, steps = model.backward(pred, y[ids])
            model.apply_grad(steps)
        seconds = time.perf_counter() - start
        note = ""
        if run < total:
            seconds *= total / run
            note = f" (extrapolated from {run} of {total} batches)"
        hits = sum(int((model.forward(tx[s:s + 1000]).argmax(1) == ty[s:s + 1000]).sum()) for s in range(0, len(tx), 1000))
        print(f"numpy epoch {epoch}: {seconds:.3f} seconds{note}, test accuracy {hits / len(tx):.4f}", flush=True)


if __name__ == "__main__":
    main()
