package tinynn.cli.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;
import tinynn.runtime.train.TrainingListener;

/**
 * {@code --log FILE.csv|FILE.jsonl}: one row per epoch (1-based epoch, train loss, validation and test
 * loss and accuracy, learning rate, seconds), written and flushed as each epoch ends. The file starts
 * with the model's history so far, so a resumed run's log holds every epoch; those rows' learning
 * rate is empty (null), as the history does not record it. Unmeasured values are empty (null).
 */
public final class EpochLog implements TrainingListener, AutoCloseable {
    static final String[] COLUMNS = {"epoch", "train_loss", "val_loss", "val_acc", "test_loss", "test_acc", "lr", "seconds"};

    private final BufferedWriter w;
    private final boolean json;
    private final DoubleSupplier lr;

    /** Opens (replacing) {@code file}; its name's extension (.csv or .jsonl) picks the format. */
    public EpochLog(Path file, Model model, DoubleSupplier lr) throws IOException {
        this.json = format(file);
        this.lr = lr;
        this.w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        if (!json) line(String.join(",", COLUMNS));
        for (EpochMetrics m : model.history()) row(m, Double.NaN);
        w.flush();
    }

    /** Whether the file is JSON lines; fails naming the file for another extension. */
    public static boolean format(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".jsonl")) return true;
        if (n.endsWith(".csv")) return false;
        throw new IllegalArgumentException("--log " + file + ": the file name must end in .csv or .jsonl");
    }

    @Override public void epochEnded(Model model, EpochMetrics m) {
        try {
            row(m, lr.getAsDouble());
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void row(EpochMetrics m, double rate) throws IOException {
        double[] v = {m.trainLoss(), m.valLoss(), m.valAccuracy(), m.testLoss(), m.testAccuracy(), rate, m.seconds()};
        StringBuilder b = new StringBuilder();
        if (json) b.append("{\"").append(COLUMNS[0]).append("\":").append(m.epoch() + 1);
        else b.append(m.epoch() + 1);
        for (int i = 0; i < v.length; i++) {
            if (json) b.append(",\"").append(COLUMNS[i + 1]).append("\":").append(Double.isFinite(v[i]) ? num(v[i]) : "null");
            else b.append(',').append(Double.isFinite(v[i]) ? num(v[i]) : "");
        }
        if (json) b.append('}');
        line(b.toString());
    }

    private static String num(double v) { return Double.toString(v); }

    private void line(String s) throws IOException {
        w.write(s);
        w.write('\n');
    }

    @Override public void close() throws IOException { w.close(); }
}
