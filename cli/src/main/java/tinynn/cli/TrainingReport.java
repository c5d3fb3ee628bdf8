package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;
import tinynn.runtime.train.TrainingListener;

/**
 * What {@code tinynn train} does as epochs pass: the progress display, saving the model (and its
 * weights-only copy) after each epoch, and the epoch's line on stdout.
 */
final class TrainingReport implements TrainingListener {
    private final PrintWriter out;
    private final Progress progress;
    private final Checkpointer checkpointer;
    private final Path target;
    private final Path weightsOut;
    private final int batch;
    private final int epochs;
    private final boolean hasTest;
    private boolean hasVal;
    /** Characters per epoch of a text model (losses per character, in nats and bits); 0 for images. */
    private long characters;
    private int skipped;
    private boolean saved;

    TrainingReport(PrintWriter out, Progress progress, Checkpointer checkpointer, Path target, Path weightsOut,
                   int batch, int epochs, boolean hasTest) {
        this.out = out;
        this.progress = progress;
        this.checkpointer = checkpointer;
        this.target = target;
        this.weightsOut = weightsOut;
        this.batch = batch;
        this.epochs = epochs;
        this.hasTest = hasTest;
    }

    /** A regression run: the accuracy columns hold R² and are labelled so. */
    private boolean regression;

    void regression(boolean regression) { this.regression = regression; }

    /** Whether the epoch line shows validation loss and accuracy. */
    void validation(boolean hasVal) { this.hasVal = hasVal; }

    /** A character model's run: the epoch line gives losses per character in nats and bits, and characters per second. */
    void characters(long perEpoch) { this.characters = perEpoch; }

    /** Whether this run has saved the model file. */
    boolean saved() { return saved; }

    @Override public void epochStarted(int epoch, int epochs, int steps, int skipped) {
        this.skipped = skipped;
        progress.startEpoch(epoch, epochs, steps, batch);
    }

    @Override public void stepped(int epoch, int step, double loss, double meanLoss) {
        progress.step(step, step - skipped, meanLoss);
    }

    @Override public void epochTrained(int epoch) {
        progress.endEpoch();
    }

    /** With the trainer's guard held: the epoch is recorded, so the model is saved whole. */
    @Override public void epochEnded(Model model, EpochMetrics m) {
        try {
            model.save(target);
            saved = true;
            if (weightsOut != null) model.saveWeights(weightsOut);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (model.epoch() >= epochs) checkpointer.finished();
        if (characters > 0) {
            textLine(model, m);
            return;
        }
        // lr: the rate the epoch's last step ran with (a schedule changes it between steps).
        String acc = regression ? "r2" : "acc";
        String val = hasVal ? String.format(Locale.ROOT, "  val loss %.4f  val %s %.4f", m.valLoss(), acc, m.valAccuracy()) : "";
        out.printf(Locale.ROOT, "epoch %d/%d  train loss %s%s  test loss %s  test %s %s  lr %s  %.1f s%n",
                m.epoch() + 1, epochs, Double.isNaN(m.trainLoss()) ? "-" : String.format(Locale.ROOT, "%.4f", m.trainLoss()), val,
                hasTest ? String.format(Locale.ROOT, "%.4f", m.testLoss()) : "-", acc,
                hasTest ? String.format(Locale.ROOT, "%.4f", m.testAccuracy()) : "-", lr(model.optimizer().lr()), m.seconds());
        out.flush();
    }

    /**
     * epoch 3/20  train loss 1.2345 (1.781 bits/char)  val loss 1.3012 (1.877 bits/char)  val acc 0.6213  lr 0.002  41.2 s  48,512 char/s
     * — char/s over the epoch's training and validation time.
     */
    private void textLine(Model model, EpochMetrics m) {
        String val = hasVal ? String.format(Locale.ROOT, "  val loss %s  val acc %.4f", perChar(m.valLoss()), m.valAccuracy()) : "";
        out.printf(Locale.ROOT, "epoch %d/%d  train loss %s%s  lr %s  %.1f s  %,.0f char/s%n", m.epoch() + 1, epochs, perChar(m.trainLoss()), val,
                lr(model.optimizer().lr()), m.seconds(), characters / m.seconds());
        out.flush();
    }

    /** A loss in nats per character, with its bits per character. */
    static String perChar(double nats) {
        return Double.isNaN(nats) ? "-" : String.format(Locale.ROOT, "%.4f (%.3f bits/char)", nats, nats / Math.log(2));
    }

    /** Four significant digits: 0.001, 0.0004523, 2.5e-07. */
    static String lr(double lr) {
        return new java.math.BigDecimal(lr).round(new java.math.MathContext(4)).stripTrailingZeros().toString().replace("E", "e");
    }
}
