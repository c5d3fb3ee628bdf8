package tinynn.runtime.model;

/**
 * How far an unfinished epoch got: {@code step} mini-batches trained, {@code lossSteps} of whose
 * losses sum to {@code lossSum}. A checkpoint saved mid-epoch keeps it, so that the resumed run
 * skips those batches and reports the whole epoch's mean loss.
 */
public record EpochPosition(int step, double lossSum, int lossSteps) {
    /** An epoch boundary: nothing of the next epoch done yet. */
    public static final EpochPosition START = new EpochPosition(0, 0, 0);

    public EpochPosition {
        check(step, lossSum, lossSteps);
    }

    /** Fails unless 0 <= lossSteps <= step and lossSum is finite (0 when no loss was summed). */
    static void check(int step, double lossSum, int lossSteps) {
        if (step < 0 || lossSteps < 0 || lossSteps > step) {
            throw new IllegalArgumentException("epoch position: " + lossSteps + " loss steps of " + step + " steps");
        }
        if (!Double.isFinite(lossSum) || lossSteps == 0 && lossSum != 0) {
            throw new IllegalArgumentException("epoch position: loss sum " + lossSum + " over " + lossSteps + " steps");
        }
    }

    public boolean atStart() { return step == 0; }
}
