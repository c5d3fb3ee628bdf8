package tinynn.runtime.metrics;

/**
 * Counts of (actual, predicted) class pairs, and the precision/recall/F1 family read from them.
 * Fed all at once ({@link #of}) or chunk by chunk ({@link #add}), so an evaluation over a large
 * data set never holds every prediction.
 *
 * <p>Degenerate cases follow scikit-learn's {@code zero_division=0}: a class never predicted has
 * precision 0, a class never present has recall 0, and F1 is 0 when precision + recall is 0.
 */
public final class ConfusionMatrix {
    private final long[][] counts; // [actual][predicted]

    public ConfusionMatrix(int classes) {
        if (classes < 1) throw new IllegalArgumentException("confusion matrix: needs at least 1 class, got " + classes);
        counts = new long[classes][classes];
    }

    /** The matrix of {@code actual} against {@code predicted}, class indices in [0, classes). */
    public static ConfusionMatrix of(int[] actual, int[] predicted, int classes) {
        Metrics.sameLength("confusion matrix", actual.length, predicted.length);
        ConfusionMatrix m = new ConfusionMatrix(classes);
        for (int i = 0; i < actual.length; i++) m.add(actual[i], predicted[i]);
        return m;
    }

    public void add(int actual, int predicted) {
        int k = counts.length;
        if (actual < 0 || actual >= k || predicted < 0 || predicted >= k) {
            throw new IllegalArgumentException("confusion matrix: class pair (" + actual + ", " + predicted + ") outside [0, " + k + ")");
        }
        counts[actual][predicted]++;
    }

    public int classes() { return counts.length; }

    public long count(int actual, int predicted) { return counts[actual][predicted]; }

    public long total() {
        long n = 0;
        for (long[] row : counts) for (long v : row) n += v;
        return n;
    }

    public long correct() {
        long n = 0;
        for (int c = 0; c < counts.length; c++) n += counts[c][c];
        return n;
    }

    /** Fraction predicted right; NaN on an empty matrix (there is nothing to be right about). */
    public double accuracy() {
        long n = total();
        return n == 0 ? Double.NaN : (double) correct() / n;
    }

    public long truePositives(int c) { return counts[c][c]; }

    /** Examples whose actual class is c. */
    public long support(int c) {
        long n = 0;
        for (long v : counts[c]) n += v;
        return n;
    }

    /** Examples predicted as c. */
    public long predicted(int c) {
        long n = 0;
        for (long[] row : counts) n += row[c];
        return n;
    }

    /** Binary precision with c as the positive class: TP / (TP + FP), 0 when c is never predicted. */
    public double precision(int c) { return ratio(truePositives(c), predicted(c)); }

    /** Binary recall with c as the positive class: TP / (TP + FN), 0 when c never occurs. */
    public double recall(int c) { return ratio(truePositives(c), support(c)); }

    /** Harmonic mean of precision and recall of class c: 2TP / (2TP + FP + FN), 0 when that is 0/0. */
    public double f1(int c) { return ratio(2 * truePositives(c), predicted(c) + support(c)); }

    /** How per-class scores combine into one, as scikit-learn's {@code average=}. */
    public enum Average {
        /** Unweighted mean over the classes that occur as actual or predicted labels. */
        MACRO,
        /** From global counts: TP, FP and FN summed over classes (equals accuracy for single-label data). */
        MICRO,
        /** Mean weighted by support (actual count) of each class. */
        WEIGHTED
    }

    public double precision(Average a) { return average(a, 0); }

    public double recall(Average a) { return average(a, 1); }

    public double f1(Average a) { return average(a, 2); }

    private double score(int c, int which) {
        return switch (which) {
            case 0 -> precision(c);
            case 1 -> recall(c);
            default -> f1(c);
        };
    }

    private double average(Average a, int which) {
        long n = total();
        if (n == 0) return Double.NaN;
        return switch (a) {
            // Every example is one prediction and one actual: global FP = global FN = n - correct.
            case MICRO -> (double) correct() / n;
            case WEIGHTED -> {
                double s = 0;
                for (int c = 0; c < counts.length; c++) s += score(c, which) * support(c);
                yield s / n;
            }
            case MACRO -> {
                double s = 0;
                int labels = 0;
                for (int c = 0; c < counts.length; c++) {
                    if (support(c) == 0 && predicted(c) == 0) continue;
                    s += score(c, which);
                    labels++;
                }
                yield s / labels; // n > 0, so at least one class occurs
            }
        };
    }

    private static double ratio(long num, long den) { return den == 0 ? 0 : (double) num / den; }
}
