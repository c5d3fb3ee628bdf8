package tinynn.runtime.train;

import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;

/**
 * Events of a {@link Trainer} run, on the training thread. Exceptions thrown here end the run and
 * propagate from {@link Trainer#run}.
 */
public interface TrainingListener {

    /** An epoch (0-based) of {@code steps} mini-batches starts; {@code skipped} of them were trained before a checkpoint. */
    default void epochStarted(int epoch, int epochs, int steps, int skipped) {}

    /**
     * After an optimizer step, {@code step} 1-based within the epoch, with its loss and the epoch's
     * mean loss so far. Called without the guard held; {@link Trainer#requestStop} stops before the next step.
     */
    default void stepped(int epoch, int step, double loss, double meanLoss) {}

    /**
     * The epoch's training and evaluation are done, nothing is recorded yet: called before
     * {@link #epochEnded}, e.g. to clear a progress display. Not called when the run stops here.
     */
    default void epochTrained(int epoch) {}

    /**
     * An epoch is recorded: the model's epoch counter has advanced and its history holds
     * {@code metrics}. Called with the guard held, so the model can be saved here as a consistent whole.
     */
    default void epochEnded(Model model, EpochMetrics metrics) {}

    /**
     * After {@link #epochEnded}: the epoch is the best so far by the trainer's {@link Monitor}, e.g. to
     * save the model as the best one. Called with the guard held.
     */
    default void improved(Model model, EpochMetrics metrics) {}
}
