package tinynn.examples;

import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Ops;
import tinynn.ops.loss.Loss;

/**
 * Hinton, Vinyals &amp; Dean's distillation loss, a custom {@link Loss} composed from {@link Ops}:
 * α·T²·CE(softmax(t/T), softmax(s/T)) + (1 − α)·CE(labels, softmax(s)), averaged over the batch, for student
 * logits s [N, C]. A loss sees one targets tensor, so each target row packs the teacher's logits t and the
 * one-hot label side by side, [N, 2C], split here with slices. The T² keeps the soft term's gradient (which
 * scales as 1/T²) comparable to the hard term's as T changes.
 */
record DistillationLoss(double temperature, double alpha) implements Loss {

    DistillationLoss {
        if (!(temperature > 0)) throw new IllegalArgumentException("distillation loss: temperature must be positive, got " + temperature);
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("distillation loss: alpha must be in [0, 1], got " + alpha);
    }

    public String type() { return "distillation"; }

    /** Teacher logits then one-hot labels: twice the student's width. */
    public Shape targetShape(Shape predictions) { return predictions.with(-1, 2 * predictions.dim(-1)); }

    public Node build(Node student, Node targets) {
        int classes = student.shape().dim(1);
        Node teacher = Ops.slice(targets, 1, 0, classes);
        Node labels = Ops.slice(targets, 1, classes, 2 * classes);
        Node invT = Ops.scalar(student, 1 / temperature);
        Node softTargets = Ops.softmax(Ops.mul(teacher, invT));
        Node soft = crossEntropy(softTargets, Ops.logSoftmax(Ops.mul(student, invT)));
        Node hard = crossEntropy(labels, Ops.logSoftmax(student));
        return Ops.add(Ops.mul(soft, Ops.scalar(student, alpha * temperature * temperature)),
                Ops.mul(hard, Ops.scalar(student, 1 - alpha)));
    }

    /** −Σ p·log q over the batch, divided by the batch size. */
    private static Node crossEntropy(Node p, Node logq) {
        return Ops.div(Ops.neg(Ops.sumAll(Ops.mul(p, logq))), Ops.scalar(logq, logq.shape().dim(0)));
    }
}
