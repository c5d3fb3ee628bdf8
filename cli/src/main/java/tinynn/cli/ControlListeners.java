package tinynn.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import tinynn.cli.report.EpochLog;
import tinynn.cli.report.Plot;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;
import tinynn.runtime.train.Monitor;
import tinynn.runtime.train.Outcome;
import tinynn.runtime.train.Trainer;
import tinynn.runtime.train.TrainingListener;

/**
 * The training-control options of a run wired into its trainer: the monitor of --early-stop and
 * --save-best, the best model's file, the --log and the --plot. Holds the locks and the log file
 * of the run; closing releases them.
 */
final class ControlListeners implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Monitor monitor;

    private ControlListeners(Monitor monitor) { this.monitor = monitor; }

    /** {@code validation}, {@code test}: whether the run has validation data and a test set (the monitor's default and checks). */
    static ControlListeners wire(TrainOptions o, Trainer trainer, boolean validation, boolean test, Path target) throws IOException {
        return wire(o, trainer.model(), trainer::monitor, trainer::listener, validation, test, target);
    }

    /** As {@link #wire(TrainOptions, Trainer, boolean, boolean, Path)} for any training loop that takes a monitor and listeners. */
    static ControlListeners wire(TrainOptions o, Model model, Consumer<Monitor> monitors, Consumer<TrainingListener> listeners,
                                 boolean validation, boolean test, Path target) throws IOException {
        Monitor monitor = null;
        if (o.earlyStop != null || o.saveBest != null || o.monitor != null) {
            Monitor.Metric metric = o.monitor != null ? Monitor.Metric.named(o.monitor)
                    : validation ? Monitor.Metric.VAL_LOSS : test ? Monitor.Metric.TEST_LOSS : Monitor.Metric.TRAIN_LOSS;
            String s = metric.spelling();
            if (s.startsWith("val_") && !validation) throw o.usage("--monitor " + s + " needs --val-split");
            if (s.startsWith("test_") && !test) throw o.usage("--monitor " + s + " needs a test set");
            monitor = new Monitor(metric, o.earlyStop != null ? o.earlyStop : 0, o.minDelta != null ? o.minDelta : 0);
            monitors.accept(monitor);
        }
        ControlListeners c = new ControlListeners(monitor);
        try {
            if (o.saveBest != null) {
                c.lock(o.saveBest, "--save-best", target);
                Path best = o.saveBest;
                listeners.accept(new TrainingListener() {
                    @Override public void improved(Model model, EpochMetrics metrics) {
                        try {
                            model.save(best);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
            }
            if (o.log != null) {
                c.lock(o.log, "--log", target);
                EpochLog log = new EpochLog(o.log, model, () -> model.optimizer().lr());
                c.open.add(log);
                listeners.accept(log);
            }
            if (o.plot != null) {
                c.lock(o.plot, "--plot", target);
                listeners.accept(new Plot(o.plot));
            }
        } catch (RuntimeException | IOException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Checks and locks a file the run writes besides the model file, which it must not be. */
    private void lock(Path file, String option, Path target) {
        if (file.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
            throw new Failure(file + ": " + option + " must differ from the model file");
        }
        OutputLock.checkWritable(file, option);
        open.add(OutputLock.acquire(file, option));
    }

    /** The closing line's start for a run that early stopping ended. */
    String earlyStopped(Outcome.EarlyStopped e) {
        return String.format(Locale.ROOT, "early stop after epoch %d: %s did not improve for %d epochs (best %s at epoch %d)",
                e.epoch() + 1, monitor.metric().spelling(), monitor.patience(),
                Double.isNaN(e.best()) ? "-" : String.format(Locale.ROOT, "%.4f", e.best()), e.bestEpoch() + 1);
    }

    @Override public void close() throws IOException {
        IOException first = null;
        for (AutoCloseable a : open.reversed()) {
            try {
                a.close();
            } catch (IOException e) {
                if (first == null) first = e;
            } catch (Exception e) {
                if (first == null) first = new IOException(e);
            }
        }
        open.clear();
        if (first != null) throw first;
    }
}
