package tinynn.runtime.train;

import java.util.Locale;
import tinynn.runtime.model.EpochMetrics;

/**
 * A metric of the epoch that early stopping and best-model saving follow, and which way is better.
 * {@code minDelta}: an epoch improves only when it beats the best by more than this.
 */
public record Monitor(Metric metric, int patience, double minDelta) {

    /** The metrics that can be monitored; the name is the spec and CLI spelling. */
    public enum Metric {
        VAL_LOSS(false), VAL_ACC(true), TEST_LOSS(false), TEST_ACC(true), TRAIN_LOSS(false);

        private final boolean higherIsBetter;

        Metric(boolean higherIsBetter) { this.higherIsBetter = higherIsBetter; }

        public String spelling() { return name().toLowerCase(Locale.ROOT); }

        public boolean higherIsBetter() { return higherIsBetter; }

        public double of(EpochMetrics m) {
            return switch (this) {
                case VAL_LOSS -> m.valLoss();
                case VAL_ACC -> m.valAccuracy();
                case TEST_LOSS -> m.testLoss();
                case TEST_ACC -> m.testAccuracy();
                case TRAIN_LOSS -> m.trainLoss();
            };
        }

        public static Metric named(String name) {
            for (Metric m : values()) if (m.spelling().equals(name)) return m;
            throw new IllegalArgumentException("unknown monitor '" + name + "'; use val_loss, val_acc, test_loss, test_acc or train_loss");
        }
    }

    /** @param patience epochs without improvement before stopping; 0 = never stop (track the best only) */
    public Monitor {
        if (metric == null) throw new IllegalArgumentException("monitor: no metric");
        if (patience < 0) throw new IllegalArgumentException("early stopping patience must be >= 0, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("early stopping min_delta must be >= 0, got " + minDelta);
    }

    /** Whether {@code value} improves on {@code best} (NaN best: nothing yet, any finite value improves). */
    public boolean improves(double value, double best) {
        if (Double.isNaN(value)) return false;
        if (Double.isNaN(best)) return true;
        return metric.higherIsBetter ? value > best + minDelta : value < best - minDelta;
    }
}
