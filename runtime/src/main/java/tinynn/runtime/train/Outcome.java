package tinynn.runtime.train;

/** How a {@link Trainer#run} ended. Epochs are 0-based, steps 1-based within the epoch. */
public sealed interface Outcome {

    /** The model has trained the epochs asked for. */
    record Completed() implements Outcome {}

    /** {@link Trainer#requestStop} was called; the model holds the epochs and steps done so far. */
    record Stopped(int epoch, int step) implements Outcome {}

    /** A step's loss was NaN or infinite: the weights are ruined. */
    record NonFiniteLoss(int epoch, int step, double loss) implements Outcome {}

    /** An epoch's mean train loss exceeded {@link Divergence#FACTOR} times the reference loss; the epoch was not recorded. */
    record Diverged(int epoch, double trainLoss, double reference) implements Outcome {}
}
