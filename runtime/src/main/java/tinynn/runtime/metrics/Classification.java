package tinynn.runtime.metrics;

/**
 * Accuracy, top-k accuracy and log loss of a classifier. Scores are row-major [n, k] arrays
 * (logits or probabilities; only their order matters for accuracy and top-k).
 */
public final class Classification {
    private Classification() {}

    /** Fraction of {@code predicted} equal to {@code actual}; NaN when there are no examples. */
    public static double accuracy(int[] actual, int[] predicted) {
        Metrics.sameLength("accuracy", actual.length, predicted.length);
        if (actual.length == 0) return Double.NaN;
        int hit = 0;
        for (int i = 0; i < actual.length; i++) if (actual[i] == predicted[i]) hit++;
        return (double) hit / actual.length;
    }

    /** Index of the largest score in row {@code row}; the first one on ties, as argmax. */
    public static int argmax(double[] scores, int row, int k) {
        int base = row * k, best = 0;
        for (int c = 1; c < k; c++) if (scores[base + c] > scores[base + best]) best = c;
        return best;
    }

    /**
     * Whether class {@code y} is among the {@code top} highest scores of row {@code row}. Ties rank
     * the lower class index first, as argmax does, so top-1 equals accuracy.
     */
    public static boolean inTopK(double[] scores, int row, int k, int y, int top) {
        int base = row * k;
        double s = scores[base + y];
        int ahead = 0;
        for (int c = 0; c < k; c++) {
            double v = scores[base + c];
            if (v > s || (v == s && c < y)) ahead++;
        }
        return ahead < top;
    }

    /** Fraction of rows whose actual class is among their {@code top} highest scores. */
    public static double topKAccuracy(double[] scores, int k, int[] actual, int top) {
        if (top < 1) throw new IllegalArgumentException("top-k accuracy: k must be at least 1, got " + top);
        Metrics.sameLength("top-k accuracy", actual.length, scores.length / k);
        if (scores.length % k != 0) throw new IllegalArgumentException("top-k accuracy: " + scores.length + " scores is not a multiple of " + k + " classes");
        if (actual.length == 0) return Double.NaN;
        int hit = 0;
        for (int i = 0; i < actual.length; i++) if (inTopK(scores, i, k, actual[i], top)) hit++;
        return (double) hit / actual.length;
    }

    /**
     * Mean of −log p[actual] over rows of probabilities [n, k]. Probabilities are clipped to
     * [1e-15, 1 − 1e-15] (scikit-learn's historical eps), so a confident wrong answer costs
     * 34.5, not infinity.
     */
    public static double logLoss(double[] probabilities, int k, int[] actual) {
        Metrics.sameLength("log loss", actual.length, probabilities.length / k);
        Metrics.nonEmpty("log loss", actual.length);
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            double p = Math.min(Math.max(probabilities[i * k + actual[i]], 1e-15), 1 - 1e-15);
            sum -= Math.log(p);
        }
        return sum / actual.length;
    }

    /** −log softmax(row)[y], computed stably (shifted by the row's max); no clipping is needed. */
    public static double logLossOfLogits(double[] logits, int row, int k, int y) {
        int base = row * k;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) max = Math.max(max, logits[base + c]);
        double sum = 0;
        for (int c = 0; c < k; c++) sum += Math.exp(logits[base + c] - max);
        return Math.log(sum) - (logits[base + y] - max);
    }

    /** Mean softmax cross entropy of logits [n, k]: the log loss of their softmax probabilities. */
    public static double logLossOfLogits(double[] logits, int k, int[] actual) {
        Metrics.sameLength("log loss", actual.length, logits.length / k);
        Metrics.nonEmpty("log loss", actual.length);
        double sum = 0;
        for (int i = 0; i < actual.length; i++) sum += logLossOfLogits(logits, i, k, actual[i]);
        return sum / actual.length;
    }
}
