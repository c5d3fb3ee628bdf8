package tinynn.runtime.train;

import java.util.ArrayList;
import java.util.List;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Batch;
import tinynn.runtime.model.BatchIterator;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.EpochPosition;
import tinynn.runtime.model.Model;
import tinynn.runtime.optim.schedule.Scheduler;

/**
 * The training loop: epochs of shuffled mini-batches, each an optimizer step, until the model has
 * trained the epochs asked for, a stop is requested, or the loss diverges (see {@link Divergence}).
 * It continues where the model stands: at its next epoch, after the steps of an interrupted epoch
 * ({@link Model#epochPosition}), with the shuffle that epoch had, so a run saved, loaded and resumed
 * gives the parameters of one run straight through.
 *
 * <p>The batch order of epoch e depends only on (the model's seed, e). The trainer records the
 * batch size, the initial loss and the position inside the epoch in the model as it goes, so a
 * save at any point between steps can be resumed.
 *
 * <p>After each epoch it scores the model on the test data ({@link #evaluator}) and on validation data
 * ({@link #validation}), both into the epoch's metrics, and with a {@link #monitor} tracks the best epoch
 * and stops early ({@link Outcome.EarlyStopped}) when the monitored metric stops improving.
 *
 * <p>Threads: the trainer changes the model only while holding {@link #guard()}; another thread
 * (e.g. a shutdown hook saving a checkpoint) holds it to see the model between two steps, and
 * {@link #requestStop} ends the run before the next step.
 */
public final class Trainer {

    /** Loss and accuracy of a model on held-out data. */
    public record Score(double loss, double accuracy) {}

    /** Scores the model after each epoch; holds {@code guard} while it runs the model. */
    @FunctionalInterface
    public interface Evaluator {
        Score evaluate(Model model, Object guard);
    }

    private final Model model;
    private final int batchSize;
    private final Object guard = new Object();
    private final List<TrainingListener> listeners = new ArrayList<>();
    private Evaluator evaluator;
    private Evaluator validation;
    private Monitor monitor;
    private volatile boolean stop;
    private boolean ruined; // guarded by guard: a non-finite or diverged loss; the weights must not be saved

    public Trainer(Model model, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        this.model = model;
        this.batchSize = batchSize;
    }

    public Model model() { return model; }

    public int batchSize() { return batchSize; }

    /** Adds a listener; listeners are called in the order added. */
    public Trainer listener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Scores each epoch on held-out data; its loss and accuracy go into the epoch's metrics. */
    public Trainer evaluator(Evaluator evaluator) {
        this.evaluator = evaluator;
        return this;
    }

    /** Scores each epoch on validation data held out of the training set; its loss and accuracy go into the epoch's metrics. */
    public Trainer validation(Evaluator validation) {
        this.validation = validation;
        return this;
    }

    /**
     * Follows a metric: tells listeners when an epoch is the best so far ({@link TrainingListener#improved}),
     * and with a patience stops the run after that many epochs without improvement. The count lives in the
     * model ({@link Model#monitorState}), so a saved and resumed run goes on counting.
     */
    public Trainer monitor(Monitor monitor) {
        this.monitor = monitor;
        return this;
    }

    /** The lock held while the model changes. */
    public Object guard() { return guard; }

    /** Ends the run before its next step; callable from any thread. */
    public void requestStop() { stop = true; }

    public boolean stopRequested() { return stop; }

    /**
     * With the guard held: whether the model is not worth saving, because a step's loss was not
     * finite or the epoch's mean loss so far has diverged.
     */
    public boolean diverging() {
        if (ruined) return true;
        EpochPosition p = model.epochPosition();
        return p.lossSteps() > 0 && Divergence.diverged(p.lossSum() / p.lossSteps(), Divergence.referenceLoss(model));
    }

    /** Trains on (inputs, targets) until the model has trained {@code epochs} epochs. */
    public Outcome run(Tensor inputs, Tensor targets, int epochs) {
        int n = inputs.shape().dim(0);
        int steps = (n + batchSize - 1) / batchSize;
        TrainingListener[] ls = listeners.toArray(TrainingListener[]::new);
        BatchIterator it = new BatchIterator(batchSize, true, model.parameters().seed());
        EpochPosition resumed;
        synchronized (guard) {
            resumed = model.epochPosition();
            if (!resumed.atStart() && model.batchSize() != batchSize) {
                // Another batch size cannot continue the interrupted epoch's batch order: the epoch starts over.
                resumed = EpochPosition.START;
                model.epochPosition(0, 0, 0);
            }
            model.batchSize(batchSize);
            if (monitor != null) monitor.start(model);
        }
        it.pass(model.epoch());
        Scheduler schedule = model.schedule();
        while (model.epoch() < epochs) {
            int epoch = model.epoch();
            long t0 = System.nanoTime();
            int skip = resumed.step();
            double lossSum = resumed.lossSum();
            int lossSteps = resumed.lossSteps();
            resumed = EpochPosition.START;
            for (TrainingListener l : ls) l.epochStarted(epoch, epochs, steps, skip);
            int step = 0;
            for (Batch b : it.over(inputs, targets)) {
                if (step < skip) {
                    step++;
                    continue;
                }
                if (stop) return new Outcome.Stopped(epoch, step);
                double loss;
                synchronized (guard) {
                    if (schedule != null) schedule.apply(model.optimizer(), model.globalStep(), epoch);
                    loss = model.trainStep(b.inputs(), b.targets());
                    if (epoch == 0 && step == 0 && Double.isFinite(loss)) model.initialLoss(loss);
                    step++;
                    if (Double.isFinite(loss)) {
                        lossSum += loss;
                        lossSteps++;
                        model.epochPosition(step, lossSum, lossSteps);
                    } else {
                        ruined = true;
                    }
                }
                if (!Double.isFinite(loss)) return new Outcome.NonFiniteLoss(epoch, step, loss);
                for (TrainingListener l : ls) l.stepped(epoch, step, loss, lossSum / lossSteps);
            }
            if (stop) return new Outcome.Stopped(epoch, step);
            double trainLoss = lossSteps == 0 ? Double.NaN : lossSum / lossSteps;
            double reference = Divergence.referenceLoss(model);
            if (lossSteps > 0 && Divergence.diverged(trainLoss, reference)) {
                synchronized (guard) {
                    ruined = true;
                }
                return new Outcome.Diverged(epoch, trainLoss, reference);
            }
            Score score = evaluator != null ? evaluator.evaluate(model, guard) : null;
            Score val = validation != null ? validation.evaluate(model, guard) : null;
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (TrainingListener l : ls) l.epochTrained(epoch);
            synchronized (guard) {
                // A stop requested now leaves the epoch to the checkpoint, as trained but not recorded.
                if (stop) return new Outcome.Stopped(epoch, step);
                EpochMetrics metrics = new EpochMetrics(epoch, trainLoss, score != null ? score.loss() : Double.NaN,
                        score != null ? score.accuracy() : Double.NaN, seconds,
                        val != null ? val.loss() : Double.NaN, val != null ? val.accuracy() : Double.NaN);
                // The monitored loss for reduce_on_plateau: validation's, else the held-out score's, else the train loss.
                if (schedule != null) schedule.epochEnded(val != null ? val.loss() : score != null ? score.loss() : trainLoss);
                model.endEpoch(metrics);
                model.epochPosition(0, 0, 0);
                boolean improved = monitor != null && monitor.record(model, metrics);
                for (TrainingListener l : ls) l.epochEnded(model, metrics);
                if (improved) for (TrainingListener l : ls) l.improved(model, metrics);
                Outcome.EarlyStopped early = monitor != null ? monitor.exhausted(model, epochs) : null;
                if (early != null) return early;
            }
        }
        return new Outcome.Completed();
    }
}
