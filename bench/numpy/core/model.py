class Model:
    def __init__(self, net, loss, optimizer):
        self.net, self.loss, self.optimizer = net, loss, optimizer

    def forward(self, inputs):
        return self.net.forward(inputs)

    def backward(self, preds, targets):
        loss = self.loss.loss(preds, targets)
        grads = self.net.backward(self.loss.grad(preds, targets))
        return loss, self.optimizer.compute_step(grads, self.net.get_parameters())

    def apply_grad(self, steps):
        for step, params in zip(steps, self.net.get_parameters()):
            for k, v in params.items():
                v += step[k]
