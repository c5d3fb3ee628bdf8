package tinynn.runtime.model;

/**
 * One line of training history; NaN where a value was not measured. The validation values come from
 * examples held out of the training set ({@code --val-split}); the test values from the test set.
 */
public record EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds,
                           double valLoss, double valAccuracy) {

    /** An epoch without validation. */
    public EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds) {
        this(epoch, trainLoss, testLoss, testAccuracy, seconds, Double.NaN, Double.NaN);
    }
}
