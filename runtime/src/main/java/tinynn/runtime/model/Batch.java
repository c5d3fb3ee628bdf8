package tinynn.runtime.model;

import tinynn.runtime.Tensor;

/** One mini-batch: inputs [n, features...] and targets [n, outputs]. */
public record Batch(Tensor inputs, Tensor targets) {
    public int size() { return inputs.shape().dim(0); }
}
