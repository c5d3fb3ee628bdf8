package tinynn.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tinynn.runtime.metrics.ConfusionMatrix.Average;

/** Every metric against values computed by hand (and checked with scikit-learn where it has one). */
class MetricsTest {
    private static final double EPS = 1e-12;

    @Test void perClassAndAveragedPrecisionRecallF1() {
        // class 0: TP 2 of 3 predicted, support 3; class 1: TP 1 of 2, support 1; class 2: TP 1 of 1, support 2
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 0, 0, 1, 2, 2}, new int[] {0, 0, 1, 1, 2, 0}, 3);
        assertEquals(2, m.count(0, 0));
        assertEquals(1, m.count(2, 0));
        assertEquals(2.0 / 3, m.precision(0), EPS);
        assertEquals(0.5, m.precision(1), EPS);
        assertEquals(1.0, m.recall(1), EPS);
        assertEquals(0.5, m.recall(2), EPS);
        assertEquals(2.0 / 3, m.f1(1), EPS);
        assertEquals(2.0 / 3, m.f1(2), EPS);
        assertEquals(4.0 / 6, m.accuracy(), EPS);
        assertEquals((2.0 / 3 + 0.5 + 1) / 3, m.precision(Average.MACRO), EPS);
        assertEquals((3 * 2.0 / 3 + 0.5 + 2 * 1.0) / 6, m.precision(Average.WEIGHTED), EPS);
        assertEquals(2.0 / 3, m.recall(Average.WEIGHTED), EPS); // weighted recall is accuracy
        assertEquals(4.0 / 6, m.f1(Average.MICRO), EPS);
        assertEquals(2.0 / 3, m.f1(Average.MACRO), EPS);
    }

    @Test void classesNeverPredictedOrAbsentGiveZeroAndLeaveTheMacroAverage() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 0, 1}, new int[] {0, 0, 0}, 3);
        assertEquals(0, m.precision(1)); // never predicted: 0, not 0/0
        assertEquals(0, m.recall(1), EPS);
        assertEquals(0, m.f1(1));
        assertEquals(0, m.recall(2)); // never present
        // class 2 neither occurs nor is predicted: macro averages classes 0 and 1 only
        assertEquals((2.0 / 3 + 0) / 2, m.precision(Average.MACRO), EPS);
        assertEquals(Double.NaN, new ConfusionMatrix(2).accuracy());
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[] {3}, new int[] {0}, 3));
    }

    @Test void accuracyAndTopKRankTiesLikeArgmax() {
        assertEquals(0.5, Classification.accuracy(new int[] {1, 2, 3, 4}, new int[] {1, 0, 3, 0}), EPS);
        double[] s = {0.1, 0.5, 0.4, 0.3, 0.3, 0.4, 0.6, 0.2, 0.2};
        int[] y = {2, 1, 0};
        assertEquals(1.0 / 3, Classification.topKAccuracy(s, 3, y, 1), EPS);
        assertEquals(2.0 / 3, Classification.topKAccuracy(s, 3, y, 2), EPS); // row 1 misses: class 0 ties with 1 and ranks first
        assertEquals(1.0, Classification.topKAccuracy(s, 3, y, 3), EPS);
        int[] argmax = {Classification.argmax(s, 0, 3), Classification.argmax(s, 1, 3), Classification.argmax(s, 2, 3)};
        assertEquals(Classification.accuracy(y, argmax), Classification.topKAccuracy(s, 3, y, 1), EPS);
        assertThrows(IllegalArgumentException.class, () -> Classification.topKAccuracy(s, 3, y, 0));
    }

    @Test void logLossClipsAndMatchesLogits() {
        double[] p = {0.9, 0.1, 0.2, 0.8, 0.6, 0.4};
        assertEquals(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.4)) / 3, Classification.logLoss(p, 2, new int[] {0, 1, 1}), EPS);
        assertEquals(-Math.log(1e-15), Classification.logLoss(new double[] {1, 0}, 2, new int[] {1}), 1e-9);
        double[] logits = {2, 0, -1};
        double z = Math.exp(2) + 1 + Math.exp(-1);
        assertEquals(-Math.log(1 / z), Classification.logLossOfLogits(logits, 3, new int[] {1}), EPS);
        assertEquals(1000, Classification.logLossOfLogits(new double[] {1000, 0}, 2, new int[] {1}), EPS); // no overflow
        assertThrows(IllegalArgumentException.class, () -> Classification.logLoss(new double[0], 2, new int[0]));
    }

    @Test void rocAucCountsTiesAsOneHalf() {
        assertEquals(0.75, Ranking.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), EPS);
        // positives {0.5, 0.9} against negatives {0.2, 0.5}: 1 + 0.5 + 1 + 1 of 4 pairs
        assertEquals(0.875, Ranking.rocAuc(new double[] {0.2, 0.5, 0.5, 0.9}, new boolean[] {false, true, false, true}), EPS);
        assertEquals(0.5, Ranking.rocAuc(new double[] {3, 3, 3, 3}, new boolean[] {false, true, false, true}), EPS);
        assertEquals(0.0, Ranking.rocAuc(new double[] {1, 0}, new boolean[] {false, true}), EPS);
    }

    @Test void rocCurveHasOnePointPerDistinctScore() {
        Ranking.RocCurve c = Ranking.rocCurve(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true});
        assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1}, c.fpr(), EPS);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, c.tpr(), EPS);
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1}, c.thresholds(), EPS);
        Ranking.RocCurve tied = Ranking.rocCurve(new double[] {0.5, 0.5, 0.9}, new boolean[] {true, false, false});
        assertArrayEquals(new double[] {0, 0.5, 1}, tied.fpr(), EPS);
        assertArrayEquals(new double[] {0, 0, 1}, tied.tpr(), EPS);
    }

    @Test void averagePrecisionIsTheStepSumOverThresholds() {
        // sklearn average_precision_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.8333...
        assertEquals(0.5 + 0.5 * 2 / 3.0, Ranking.averagePrecision(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), EPS);
        // the tie at 0.5 is one threshold: recall 0 → 1 at precision 1/3
        assertEquals(1.0 / 3, Ranking.averagePrecision(new double[] {0.5, 0.5, 0.9}, new boolean[] {true, false, false}), EPS);
    }

    @Test void rankingWithOneClassIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> Ranking.rocAuc(new double[] {0.1, 0.2}, new boolean[] {false, false}));
        assertTrue(e.getMessage().startsWith("roc auc: undefined with one class only (0 positives"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ranking.averagePrecision(new double[] {0.1, 0.2}, new boolean[] {true, true}));
        assertThrows(IllegalArgumentException.class, () -> Ranking.rocCurve(new double[] {0.1}, new boolean[] {true}));
        assertArrayEquals(new boolean[] {false, true, true}, Ranking.isClass(new int[] {0, 2, 2}, 2));
    }

    @Test void regressionMetricsAsScikitLearnsExamples() {
        double[] y = {3, -0.5, 2, 7}, p = {2.5, 0, 2, 8};
        assertEquals(0.375, Regression.mse(y, p), EPS);
        assertEquals(0.5, Regression.mae(y, p), EPS);
        assertEquals(Math.sqrt(0.375), Regression.rmse(y, p), EPS);
        assertEquals(0.9486081370449679, Regression.r2(y, p), EPS);
        assertEquals(0.9571734475374732, Regression.explainedVariance(y, p), EPS);
        // a constant offset costs R² but not explained variance
        assertEquals(1.0, Regression.explainedVariance(y, new double[] {4, 0.5, 3, 8}), EPS);
    }

    @Test void constantTargetsGiveOneForAPerfectFitAndZeroOtherwise() {
        double[] y = {2, 2, 2};
        assertEquals(1.0, Regression.r2(y, new double[] {2, 2, 2}));
        assertEquals(0.0, Regression.r2(y, new double[] {1, 2, 3}));
        assertEquals(1.0, Regression.explainedVariance(y, new double[] {5, 5, 5})); // residual variance 0
        assertEquals(0.0, Regression.explainedVariance(y, new double[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> Regression.mse(new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Regression.mae(new double[2], new double[3]));
    }
}
