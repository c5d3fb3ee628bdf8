package tinynn.runtime.train;

import java.util.Locale;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.MonitorState;

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

    /** At the start of a run: another metric's best says nothing about this one, so its count starts over. */
    public void start(Model model) {
        MonitorState ms = model.monitorState();
        if (ms == null || !ms.metric().equals(metric.spelling())) model.monitorState(new MonitorState(metric.spelling(), Double.NaN, -1, 0));
    }

    /** After the model recorded {@code metrics}: updates its best and stale count; returns whether the epoch is the best so far. */
    public boolean record(Model model, EpochMetrics metrics) {
        MonitorState ms = model.monitorState();
        double value = metric.of(metrics);
        boolean improved = improves(value, ms.best());
        model.monitorState(improved ? new MonitorState(ms.metric(), value, metrics.epoch(), 0)
                : new MonitorState(ms.metric(), ms.best(), ms.bestEpoch(), ms.stale() + 1));
        return improved;
    }

    /** Whether the run ends here: patience epochs without improvement, and epochs left to train. */
    public Outcome.EarlyStopped exhausted(Model model, int epochs) {
        MonitorState ms = model.monitorState();
        if (patience == 0 || ms.stale() < patience || model.epoch() >= epochs) return null;
        return new Outcome.EarlyStopped(model.epoch() - 1, ms.bestEpoch(), ms.best());
    }

    /** Whether {@code value} improves on {@code best} (NaN best: nothing yet, any finite value improves). */
    public boolean improves(double value, double best) {
        if (Double.isNaN(value)) return false;
        if (Double.isNaN(best)) return true;
        return metric.higherIsBetter ? value > best + minDelta : value < best - minDelta;
    }
}
