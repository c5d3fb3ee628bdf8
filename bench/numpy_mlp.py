#!/usr/bin/env python3
"""The article's MNIST loop in tight numpy (float32, Adam, batch 128), timed per epoch.

Reference for bench/compare.sh: same shapes, same optimizer, same batch order rules
(shuffled each epoch). Usage: numpy_mlp.py [--epochs N] [--data DIR]
Prints one line per epoch: "numpy epoch E: S seconds, test accuracy A".
"""
import argparse, os, time
import numpy as np

def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--data", default=os.path.join(os.environ.get("TINYNN_DATA", os.path.expanduser("~/.cache/tinynn")), "mnist"))
    a = ap.parse_args()
    x = idx(os.path.join(a.data, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255
    y = np.eye(10, dtype=np.float32)[idx(os.path.join(a.data, "train-labels-idx1-ubyte"))]
    tx = idx(os.path.join(a.data, "t10k-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255
    ty = idx(os.path.join(a.data, "t10k-labels-idx1-ubyte"))
    rng = np.random.default_rng(0)
    sizes = [784, 400, 100, 10]
    W = [rng.uniform(-1, 1, (i, o)).astype(np.float32) * np.float32(np.sqrt(6 / (i + o))) for i, o in zip(sizes, sizes[1:])]
    B = [np.zeros((1, o), np.float32) for o in sizes[1:]]
    params = W + B
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, b1, b2, eps, t = 1e-3, 0.9, 0.999, 1e-8, 0
    for epoch in range(a.epochs):
        start = time.perf_counter()
        order = rng.permutation(len(x))
        for s in range(0, len(x), 128):
            idxs = order[s:s + 128]
            xb, yb = x[idxs], y[idxs]
            h1 = np.maximum(xb @ W[0] + B[0], 0)
            h2 = np.maximum(h1 @ W[1] + B[1], 0)
            z = h2 @ W[2] + B[2]
            e = np.exp(z - z.max(axis=1, keepdims=True))
            g = (e / e.sum(axis=1, keepdims=True) - yb) / len(xb)
            gW2 = h2.T @ g; gB2 = g.sum(0, keepdims=True)
            g = (g @ W[2].T) * (h2 > 0)
            gW1 = h1.T @ g; gB1 = g.sum(0, keepdims=True)
            g = (g @ W[1].T) * (h1 > 0)
            gW0 = xb.T @ g; gB0 = g.sum(0, keepdims=True)
            grads = [gW0, gW1, gW2, gB0, gB1, gB2]
            t += 1
            c1, c2 = 1 - b1 ** t, 1 - b2 ** t
            for p, gr, mm, vv in zip(params, grads, m, v):
                mm *= b1; mm += (1 - b1) * gr
                vv *= b2; vv += (1 - b2) * gr * gr
                p -= lr * (mm / c1) / (np.sqrt(vv / c2) + eps)
        seconds = time.perf_counter() - start
        h = np.maximum(np.maximum(tx @ W[0] + B[0], 0) @ W[1] + B[1], 0) @ W[2] + B[2]
        acc = float((h.argmax(1) == ty).mean())
        print(f"numpy epoch {epoch}: {seconds:.3f} seconds, test accuracy {acc:.4f}", flush=True)

if __name__ == "__main__":
    main()
