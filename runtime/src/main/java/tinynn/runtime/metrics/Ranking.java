package tinynn.runtime.metrics;

import java.util.Arrays;

/**
 * Threshold-free binary metrics of scores: ROC AUC, the ROC curve and average precision (PR AUC).
 * Each sorts once, O(n log n). Equal scores form one threshold, so ties are never broken by input
 * order. With only one class present these metrics are undefined, and they throw (as scikit-learn).
 */
public final class Ranking {
    private Ranking() {}

    /** The ROC curve's points, from (0, 0) at threshold +∞ to (1, 1); one point per distinct score. */
    public record RocCurve(double[] fpr, double[] tpr, double[] thresholds) {}

    /**
     * Area under the ROC curve: the probability that a random positive scores above a random
     * negative, ties counting one half (the Mann-Whitney U statistic over P·N). Computed from the
     * positives' rank sum, ties given their average rank.
     */
    public static double rocAuc(double[] scores, boolean[] positive) {
        int[] order = sorted("roc auc", scores, positive, false);
        int n = scores.length;
        long pos = positives(positive);
        double rankSum = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && scores[order[j]] == scores[order[i]]) j++;
            double avgRank = (i + 1 + j) / 2.0; // ranks i+1..j, 1-based
            for (int t = i; t < j; t++) if (positive[order[t]]) rankSum += avgRank;
            i = j;
        }
        long neg = n - pos;
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    public static RocCurve rocCurve(double[] scores, boolean[] positive) {
        int[] order = sorted("roc curve", scores, positive, true);
        int n = scores.length;
        double pos = positives(positive), neg = n - pos;
        double[] fpr = new double[n + 1], tpr = new double[n + 1], thr = new double[n + 1];
        thr[0] = Double.POSITIVE_INFINITY;
        int points = 1;
        long tp = 0, fp = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && scores[order[j]] == scores[order[i]]) {
                if (positive[order[j]]) tp++; else fp++;
                j++;
            }
            fpr[points] = fp / neg;
            tpr[points] = tp / pos;
            thr[points] = scores[order[i]];
            points++;
            i = j;
        }
        return new RocCurve(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points), Arrays.copyOf(thr, points));
    }

    /**
     * Average precision as scikit-learn's {@code average_precision_score}: Σ (Rₙ − Rₙ₋₁)·Pₙ over
     * the distinct thresholds from high to low, a step sum with no interpolation (not the
     * trapezoidal area under the PR curve, which is optimistic).
     */
    public static double averagePrecision(double[] scores, boolean[] positive) {
        int[] order = sorted("average precision", scores, positive, true);
        int n = scores.length;
        double pos = positives(positive);
        double ap = 0, lastRecall = 0;
        long tp = 0, seen = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && scores[order[j]] == scores[order[i]]) {
                if (positive[order[j]]) tp++;
                seen++;
                j++;
            }
            double recall = tp / pos;
            ap += (recall - lastRecall) * ((double) tp / seen);
            lastRecall = recall;
            i = j;
        }
        return ap;
    }

    /** Positives as the examples whose label is {@code positiveClass}. */
    public static boolean[] isClass(int[] labels, int positiveClass) {
        boolean[] p = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) p[i] = labels[i] == positiveClass;
        return p;
    }

    private static long positives(boolean[] positive) {
        long p = 0;
        for (boolean b : positive) if (b) p++;
        return p;
    }

    /** Indices by score (descending or ascending), after checking both classes are present. */
    private static int[] sorted(String metric, double[] scores, boolean[] positive, boolean descending) {
        Metrics.sameLength(metric, positive.length, scores.length);
        long pos = positives(positive);
        if (pos == 0 || pos == positive.length) {
            throw new IllegalArgumentException(metric + ": undefined with one class only (" + pos + " positives among "
                    + positive.length + " examples)");
        }
        for (double s : scores) if (Double.isNaN(s)) throw new IllegalArgumentException(metric + ": a score is NaN");
        Integer[] boxed = new Integer[scores.length];
        for (int i = 0; i < boxed.length; i++) boxed[i] = i;
        Arrays.sort(boxed, (a, b) -> descending ? Double.compare(scores[b], scores[a]) : Double.compare(scores[a], scores[b]));
        int[] order = new int[boxed.length];
        for (int i = 0; i < order.length; i++) order[i] = boxed[i];
        return order;
    }
}
