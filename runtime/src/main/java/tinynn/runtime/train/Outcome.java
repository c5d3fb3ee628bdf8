package tinynn.runtime.train;

/** How a {@link Trainer#run} ended. Epochs are 0-based, steps 1-based within the epoch. */
public sealed interface Outcome {

    /** The model has trained the epochs asked for. */
    record Completed() implements Outcome {}

    /** {@link Trainer#requestStop} was called; the model holds the epochs and steps done so far. */
    record Stopped(int epoch, int step) implements Outcome {}

    /**
     * Early stopping: the monitored metric did not improve for the patience's epochs; the model holds
     * them all, the best was epoch {@code bestEpoch} (-1: none had a value) with {@code best}.
     */
    record EarlyStopped(int epoch, int bestEpoch, double best) implements Outcome {}

    /** A step's loss was NaN or infinite: the weights are ruined. */
    record NonFiniteLoss(int epoch, int step, double loss) implements Outcome {}

    /** An epoch's mean train loss exceeded {@link Divergence#FACTOR} times the reference loss; the epoch was not recorded. */
    record Diverged(int epoch, double trainLoss, double reference) implements Outcome {}
}
