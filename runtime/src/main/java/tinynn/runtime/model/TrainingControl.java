package tinynn.runtime.model;

/**
 * The training-control options of a run, recorded in the model so a resumed run goes on with them:
 * validation split, early-stopping patience, monitored metric and min delta, and the files of the
 * best model, the log and the plot. 0 / null = not given.
 */
public record TrainingControl(double valSplit, int earlyStop, String monitor, double minDelta,
                              String saveBest, String log, String plot) {

    public static final TrainingControl NONE = new TrainingControl(0, 0, null, 0, null, null, null);
}
