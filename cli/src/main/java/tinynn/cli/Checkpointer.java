package tinynn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import tinynn.runtime.model.Model;

/**
 * Ctrl-C during training: a shutdown hook that saves the model atomically and lets the process
 * exit. The training loop holds {@link #lock} for every optimizer step, evaluation chunk and save,
 * so the hook saves only between steps, never a half-updated model. The loop checks
 * {@link #stopRequested()} between steps and then reports (exit status 130).
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
    private boolean finished;     // guarded by lock: nothing more to save
    private volatile String saved; // what the hook did, for the training thread's message

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

    /** Called with the lock held once the model exists and after each step. */
    void progress(Model model, int epochStep) {
        this.model = model;
        this.epochStep = epochStep;
    }

    /** Called with the lock held when the final model has been written (or training failed). */
    void finished() { finished = true; }

    /** Runs the hook's work as a signal would; for tests. */
    Thread simulateSignal() {
        Thread t = new Thread(this::onSignal, "tinynn-test-signal");
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

    /** The training thread has printed its closing line. */
    void reported() { reported.countDown(); }

    private void onSignal() {
        stop = true;
        try {
            save();
        } finally {
            hookDone.countDown();
        }
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
                try {
                    if (epochStep > 0) model.metadata().put(ModelInfo.TRAIN_EPOCH_STEP, Integer.toString(epochStep));
                    else model.metadata().remove(ModelInfo.TRAIN_EPOCH_STEP);
                    model.save(out);
                    saved = "interrupted; checkpoint saved to " + out + " (epoch " + (model.epoch() + 1)
                            + ", step " + epochStep + "); continue with: tinynn train --resume " + out;
                } catch (Exception e) {
                    saved = "interrupted; could not save the checkpoint: " + Errors.describe(e);
                }
            }
            finished = true;
        }
    }
}
