import numpy as np


class SoftmaxCrossEntropyLoss:
    """Mean over the batch; targets one-hot."""

    @staticmethod
    def softmax(logits):
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def loss(self, predicted, actual):
        p = self.softmax(predicted)
        return float(-np.log(np.sum(p * actual, axis=1) + 1e-12).mean())

    def grad(self, predicted, actual):
        return (self.softmax(predicted) - actual) / predicted.shape[0]
