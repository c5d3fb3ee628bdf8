package tinynn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import tinynn.runtime.model.Model;

/**
 * Ctrl-C during training: a shutdown hook that saves the model atomically and lets the process
 * exit. The training loop holds {@link #lock} for every optimizer step, evaluation chunk and save,
 * so the hook saves only between steps, never a half-updated model. The loop checks
 * {@link #stopRequested()} between steps and then reports.
 *
 * <p>Exit status: 130 when the checkpoint was saved (or there was nothing to save yet), for Ctrl-C
 * and SIGTERM alike; 1 when it could not be saved, or was not because the loss was diverging. A JVM
 * that a signal shuts down exits with 128 + the signal's number whatever the code says, so the
 * hook itself ends the process with {@link Runtime#halt} once the outcome is reported.
 */
final class Checkpointer {
    /** How long the hook lets the training thread print its closing line before the JVM halts. */
    private static final long REPORT_WAIT_MS = 2000;

    final Object lock = new Object();
    private final Path out;
    private final PrintWriter err;
    private final Thread hook = new Thread(this::onSignal, "tinynn-checkpoint");
    private final CountDownLatch reported = new CountDownLatch(1);
    private final CountDownLatch hookDone = new CountDownLatch(1);
    private volatile boolean stop;
    private Model model;          // guarded by lock
    private int epochStep;        // guarded by lock: steps done in the unfinished epoch
    private double lossSum;       // guarded by lock: their loss sum (of the steps counted in lossSteps)
    private int lossSteps;        // guarded by lock
    private boolean finished;     // guarded by lock: nothing more to save
    private volatile String saved; // what the hook did, for the training thread's message
    private volatile int code = Errors.INTERRUPTED;

    Checkpointer(Path out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    void install() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    void uninstall() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run; nothing to undo
        }
    }

    boolean stopRequested() { return stop; }

    /** Called with the lock held once the model exists and after each step, with the epoch's running loss. */
    void progress(Model model, int epochStep, double lossSum, int lossSteps) {
        this.model = model;
        this.epochStep = epochStep;
        this.lossSum = lossSum;
        this.lossSteps = lossSteps;
    }

    /** Called with the lock held when the final model has been written (or training failed). */
    void finished() { finished = true; }

    /** Runs the hook's work as a signal would; for tests. */
    Thread simulateSignal() {
        Thread t = new Thread(() -> handle(false), "tinynn-test-signal");
        t.start();
        return t;
    }

    /**
     * The message of an interrupted run. Called by the training thread once it has seen
     * {@link #stopRequested()}: waits for the hook, which may still be queued for the lock.
     */
    String outcome() {
        try {
            hookDone.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return saved;
    }

    /** The exit status of an interrupted run; valid once {@link #outcome()} returned. */
    int exitCode() { return code; }

    /** The training thread has printed its closing line. */
    void reported() { reported.countDown(); }

    private void onSignal() { handle(true); }

    private void handle(boolean signal) {
        stop = true;
        try {
            save();
        } finally {
            hookDone.countDown();
        }
        if (saved == null) {
            // Interrupted before the model existed: nothing to save, exit 130. (Once the final save is done the
            // hook has nothing to do, and the run's own exit goes ahead.)
            if (signal && model == null) halt();
            return;
        }
        try {
            // Give the training thread a moment to print the outcome; print it here if it does not.
            if (!reported.await(REPORT_WAIT_MS, TimeUnit.MILLISECONDS)) {
                err.println("tinynn train: " + saved);
                err.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (signal) halt();
    }

    /** Ends the process with {@link #code}, not the JVM's 128 + signal; halting skips the run's cleanup, so release its locks first. */
    private void halt() {
        OutputLock.releaseAll();
        Runtime.getRuntime().halt(code);
    }

    private void save() {
        synchronized (lock) {
            if (finished) return;
            if (model == null) {
                finished = true;
                err.println("tinynn train: interrupted before training started; nothing saved");
                err.flush();
                return;
            } else {
                double mean = lossSteps > 0 ? lossSum / lossSteps : Double.NaN;
                if (lossSteps > 0 && TrainingRun.diverged(mean, TrainingRun.referenceLoss(model))) {
                    code = Errors.FAILURE;
                    saved = "interrupted; checkpoint not saved: the loss is diverging (mean " + (float) mean + " over "
                            + lossSteps + " steps of epoch " + (model.epoch() + 1) + "); " + out + " was left as it was";
                    finished = true;
                    return;
                }
                try {
                    Map<String, String> meta = model.metadata();
                    if (epochStep > 0) {
                        meta.put(ModelInfo.TRAIN_EPOCH_STEP, Integer.toString(epochStep));
                        meta.put(TrainingRun.EPOCH_LOSS_SUM, Double.toString(lossSum));
                        meta.put(TrainingRun.EPOCH_LOSS_STEPS, Integer.toString(lossSteps));
                    } else {
                        meta.remove(ModelInfo.TRAIN_EPOCH_STEP);
                        meta.remove(TrainingRun.EPOCH_LOSS_SUM);
                        meta.remove(TrainingRun.EPOCH_LOSS_STEPS);
                    }
                    model.save(out);
                    saved = "interrupted; checkpoint saved to " + out + " (epoch " + (model.epoch() + 1)
                            + ", step " + epochStep + "); continue with: tinynn train --resume " + out;
                } catch (Exception e) {
                    code = Errors.FAILURE;
                    saved = "interrupted; could not save the checkpoint: " + Errors.describe(e);
                }
            }
            finished = true;
        }
    }
}
