package tinynn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import tinynn.runtime.model.EpochPosition;
import tinynn.runtime.model.Model;
import tinynn.runtime.train.Divergence;
import tinynn.runtime.train.Trainer;

/**
 * Ctrl-C during training: a shutdown hook that saves the model atomically and lets the process
 * exit. The {@link Trainer} holds its guard for every optimizer step, evaluation chunk and save,
 * so the hook saves only between steps, never a half-updated model, with the position inside the
 * epoch that the trainer keeps in the model. The hook asks the trainer to stop; the training
 * thread then reports.
 *
 * <p>Exit status: 130 when the checkpoint was saved, for Ctrl-C
 * and SIGTERM alike; 1 when it could not be saved, or was not because the loss was diverging. A JVM
 * that a signal shuts down exits with 128 + the signal's number whatever the code says, so the
 * hook itself ends the process with {@link Runtime#halt} once the outcome is reported.
 */
final class Checkpointer {
    /** How long the hook lets the training thread print its closing line before the JVM halts. */
    private static final long REPORT_WAIT_MS = 2000;

    private final Path out;
    private final PrintWriter err;
    private final Trainer trainer;
    private final Thread hook = new Thread(this::onSignal, "tinynn-checkpoint");
    private final CountDownLatch reported = new CountDownLatch(1);
    private final CountDownLatch hookDone = new CountDownLatch(1);
    private boolean finished;     // guarded by the trainer's guard: nothing more to save
    private volatile String saved; // what the hook did, for the training thread's message
    private volatile int code = Errors.INTERRUPTED;

    Checkpointer(Path out, PrintWriter err, Trainer trainer) {
        this.out = out;
        this.err = err;
        this.trainer = trainer;
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

    boolean stopRequested() { return trainer.stopRequested(); }

    /** Called with the trainer's guard held when the final model has been written (or training failed). */
    void finished() { finished = true; }

    /** Runs the hook's work as a signal would; for tests. */
    Thread simulateSignal() {
        Thread t = new Thread(() -> handle(false), "tinynn-test-signal");
        t.start();
        return t;
    }

    /**
     * The message of an interrupted run. Called by the training thread once it has seen
     * {@link #stopRequested()}: waits for the hook, which may still be queued for the guard.
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
        trainer.requestStop();
        try {
            save();
        } finally {
            hookDone.countDown();
        }
        // Once the final save is done (or the weights are ruined) the hook has nothing to do, and the run's own exit goes ahead.
        if (saved == null) return;
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
        synchronized (trainer.guard()) {
            if (finished) return;
            finished = true;
            Model model = trainer.model();
            EpochPosition p = model.epochPosition();
            double mean = p.lossSteps() > 0 ? p.lossSum() / p.lossSteps() : Double.NaN;
            if (p.lossSteps() > 0 && Divergence.diverged(mean, Divergence.referenceLoss(model))) {
                code = Errors.FAILURE;
                saved = "interrupted; checkpoint not saved: the loss is diverging (mean " + (float) mean + " over "
                        + p.lossSteps() + " steps of epoch " + (model.epoch() + 1) + "); " + out + " was left as it was";
                return;
            }
            if (trainer.diverging()) return; // a non-finite step ruined the weights; the training thread reports it
            try {
                model.save(out);
                saved = "interrupted; checkpoint saved to " + out + " (epoch " + (model.epoch() + 1)
                        + ", step " + p.step() + "); continue with: tinynn train --resume " + out;
            } catch (Exception e) {
                code = Errors.FAILURE;
                saved = "interrupted; could not save the checkpoint: " + Errors.describe(e);
            }
        }
    }
}
