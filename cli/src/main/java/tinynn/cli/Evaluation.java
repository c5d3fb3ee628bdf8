package tinynn.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tinynn.data.ImageDataset;
import tinynn.graph.DType;
import tinynn.runtime.Tensor;
import tinynn.runtime.metrics.Classification;
import tinynn.runtime.metrics.ConfusionMatrix;
import tinynn.runtime.model.Model;

/**
 * Loss, accuracy, top-k accuracy and confusion matrix of a classifier on labelled data, computed
 * in chunks; the arithmetic is tinynn.runtime.metrics', this class only streams logits into it.
 */
final class Evaluation {
    static final int CHUNK = 1000;
    /** The k of the top-k accuracy eval reports (fewer when the model has fewer outputs). */
    static final int TOP_K = 5;

    final int numClasses;
    final ConfusionMatrix confusion;
    int count;
    int topKHits;
    double lossSum;
    private double[] row = new double[0];
    /** Index of the first example whose logits are not all finite (-1: none), and such a logit. */
    int firstNonFinite = -1;
    double nonFiniteValue;

    Evaluation(int numClasses) {
        this.numClasses = numClasses;
        this.confusion = new ConfusionMatrix(numClasses);
    }

    long correct() { return confusion.correct(); }

    double accuracy() { return count == 0 ? Double.NaN : (double) correct() / count; }

    /** The k of {@link #topKAccuracy()}: {@link #TOP_K}, or every class when there are fewer. */
    int topK() { return Math.min(TOP_K, numClasses); }

    double topKAccuracy() { return count == 0 ? Double.NaN : (double) topKHits / count; }

    double loss() { return count == 0 ? Double.NaN : lossSum / count; }

    /**
     * Runs the model over all images (pixels·scale) and accumulates the metrics. {@code lock} is
     * held for each chunk, so a concurrent checkpoint never sees the model mid-forward.
     */
    static Evaluation run(Model model, ImageDataset ds, int outputs, Object lock) {
        Evaluation ev = new Evaluation(Math.max(outputs, ds.numClasses()));
        int f = ds.features();
        DType dt = model.dtype();
        Tensor full = null, rest = null;
        int[] labels = new int[Math.min(CHUNK, ds.count())];
        for (int start = 0; start < ds.count(); start += CHUNK) {
            int n = Math.min(CHUNK, ds.count() - start);
            Tensor x;
            // A CNN takes [n, C, H, W]: the same row-major pixels as [n, features], filled the same way.
            if (n == CHUNK) x = full = full != null ? full : Tensor.zeros(dt, ModelInfo.inputShape(model, f, n));
            else x = rest = Tensor.zeros(dt, ModelInfo.inputShape(model, f, n));
            if (x.isF32()) ds.features(start, start + n, x.f32(), 0);
            else ds.features(start, start + n, x.f64(), 0);
            ds.labels(start, start + n, labels, 0);
            synchronized (lock) {
                Tensor logits = model.predict(x);
                ev.add(logits, labels, n);
            }
        }
        return ev;
    }

    /** Adds a chunk of logits [n, k] with their labels. */
    void add(Tensor logits, int[] labels, int n) {
        int k = logits.shape().dim(1);
        if (row.length != k) row = new double[k];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < k; c++) {
                double v = row[c] = logits.get(r * k + c);
                if (!Double.isFinite(v) && firstNonFinite < 0) {
                    firstNonFinite = count;
                    nonFiniteValue = v;
                }
            }
            int y = labels[r];
            int best = Classification.argmax(row, 0, k);
            lossSum += y < k ? Classification.logLossOfLogits(row, 0, k, y) : Double.NaN;
            if (y < k && Classification.inTopK(row, 0, k, y, topK())) topKHits++;
            if (y < numClasses) confusion.add(y, best);
            count++;
        }
    }

    /** The first non-finite value in row {@code row} of logits, or 0 when they are all finite. */
    static double nonFinite(Tensor logits, int row) {
        int k = logits.shape().dim(1);
        for (int c = 0; c < k; c++) {
            double v = logits.get(row * k + c);
            if (!Double.isFinite(v)) return v;
        }
        return 0;
    }

    /**
     * The failure for a model whose output is {@code value} (NaN or ±Inf) on {@code input}: such a
     * model is unusable, and it says so rather than print probabilities of NaN.
     */
    static Failure nonFiniteOutput(Path modelFile, Model model, double value, String input) {
        String bad = nonFiniteParameter(model);
        String why = bad != null
                ? "the model's parameters contain NaN/Inf (" + bad + "); retrain it or use an earlier copy"
                : "its parameters are finite, so the computation overflows; retrain it (e.g. with a lower --lr)";
        return new Failure(modelFile + ": output is " + value + " for " + input + "; " + why);
    }

    /** "parameter 'NAME' holds VALUE" for the first non-finite parameter value, or null. */
    static String nonFiniteParameter(Model model) {
        for (Map.Entry<String, Tensor> p : model.parameters().asMap().entrySet()) {
            Tensor t = p.getValue();
            for (int i = 0; i < t.size(); i++) {
                if (!Double.isFinite(t.get(i))) return "parameter '" + p.getKey() + "' holds " + t.get(i);
            }
        }
        return null;
    }

    /** Softmax of one row of logits. */
    static double[] softmax(Tensor logits, int row) {
        int k = logits.shape().dim(1);
        double[] p = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) max = Math.max(max, logits.get(row * k + c));
        double sum = 0;
        for (int c = 0; c < k; c++) sum += p[c] = Math.exp(logits.get(row * k + c) - max);
        for (int c = 0; c < k; c++) p[c] /= sum;
        return p;
    }

    /** Label of class c, or its index when labels are missing. */
    static String label(List<String> labels, int c) {
        return labels != null && c >= 0 && c < labels.size() ? labels.get(c) : Integer.toString(c);
    }
}
