package tinynn.runtime.train;

import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;

/**
 * When training has diverged: a loss that is not finite, or a mean loss above {@link #FACTOR}
 * times the run's initial loss. A diverged model is not worth saving.
 */
public final class Divergence {
    /** A mean train loss above this many times the reference loss has diverged. */
    public static final double FACTOR = 10;

    private Divergence() {}

    /** The loss divergence is measured against: the model's initial loss, else (older files) its first finite epoch train loss; NaN if none. */
    public static double referenceLoss(Model model) {
        double initial = model.initialLoss();
        if (Double.isFinite(initial) && initial > 0) return initial;
        for (EpochMetrics m : model.history()) {
            if (Double.isFinite(m.trainLoss()) && m.trainLoss() > 0) return m.trainLoss();
        }
        return Double.NaN;
    }

    /** Non-finite, or above {@link #FACTOR} times {@code reference} (when there is one). */
    public static boolean diverged(double meanLoss, double reference) {
        if (!Double.isFinite(meanLoss)) return true;
        return Double.isFinite(reference) && meanLoss > FACTOR * reference;
    }
}
