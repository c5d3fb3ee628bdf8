package tinynn.runtime.model;

/** One line of training history; NaN where a value was not measured. */
public record EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds) {}
