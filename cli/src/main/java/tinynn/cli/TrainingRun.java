package tinynn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;

/**
 * What {@code train --resume} needs to continue a run as it was started, kept in the model's
 * metadata beside {@link ModelInfo#TRAIN_BATCH_SIZE}, {@link ModelInfo#TRAIN_SEED} and
 * {@link ModelInfo#TRAIN_EPOCH_STEP}: the target epochs, the data source (paths absolute, so a run
 * resumes from any directory), the running loss of an interrupted epoch, and the loss that
 * divergence is measured against.
 */
final class TrainingRun {
    static final String EPOCHS = "train_epochs";
    /** A built-in data set's name, and its --data-dir when one was given. */
    static final String DATA = "train_data";
    static final String DATA_DIR = "train_data_dir";
    static final String TRAIN_IMAGES = "train_images";
    static final String TRAIN_LABELS = "train_labels";
    static final String TEST_IMAGES = "test_images";
    static final String TEST_LABELS = "test_labels";
    static final String TRAIN_CSV = "train_csv";
    static final String TEST_CSV = "test_csv";
    /** --image-shape of CSV data, when given. */
    static final String CSV_IMAGE_SHAPE = "train_csv_image_shape";
    static final String CLASSES = "train_classes";
    static final String LIMIT = "train_limit";
    /** Loss sum and step count of the epoch a checkpoint interrupted, so the resumed epoch reports the whole epoch's mean. */
    static final String EPOCH_LOSS_SUM = "train_epoch_loss_sum";
    static final String EPOCH_LOSS_STEPS = "train_epoch_loss_steps";
    /** The loss of the run's first step, before any update: the yardstick of {@link #diverged}. */
    static final String INITIAL_LOSS = "train_initial_loss";

    /** The data-source keys, all replaced together when a run records its source. */
    static final List<String> SOURCE_KEYS = List.of(DATA, DATA_DIR, TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS,
            TRAIN_CSV, TEST_CSV, CSV_IMAGE_SHAPE, CLASSES, LIMIT);

    /** An epoch whose mean train loss exceeds this many times the initial loss has diverged. */
    static final double DIVERGENCE_FACTOR = 10;

    private TrainingRun() {}

    /** The loss divergence is measured against: the recorded initial loss, else (older files) the first epoch's train loss. */
    static double referenceLoss(Model model) {
        String s = model.metadata().get(INITIAL_LOSS);
        if (s != null) {
            try {
                double v = Double.parseDouble(s);
                if (Double.isFinite(v) && v > 0) return v;
            } catch (NumberFormatException ignored) {
                // fall back to the history
            }
        }
        for (EpochMetrics m : model.history()) {
            if (Double.isFinite(m.trainLoss()) && m.trainLoss() > 0) return m.trainLoss();
        }
        return Double.NaN;
    }

    /** Non-finite, or above {@link #DIVERGENCE_FACTOR} times the reference (when there is one). */
    static boolean diverged(double meanLoss, double reference) {
        if (!Double.isFinite(meanLoss)) return true;
        return Double.isFinite(reference) && meanLoss > DIVERGENCE_FACTOR * reference;
    }

    /** A recorded file or directory that must still exist; the error names the option that replaces it. */
    static Path recordedPath(Map<String, String> meta, String key, Path model, String option) {
        String s = meta.get(key);
        if (s == null || s.isBlank()) return null;
        Path p = Path.of(s);
        if (!Files.exists(p)) {
            throw new Failure(p + ": no longer exists (recorded in " + model + " as " + option + "); pass " + option
                    + " with its new location");
        }
        return p;
    }

    static String absolute(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }
}
