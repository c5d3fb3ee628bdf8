package tinynn.serialization;

import java.util.List;
import java.util.Map;
import tinynn.runtime.model.EpochPosition;
import tinynn.runtime.model.TrainingRun;

/**
 * The resume state as tinynn-java 0.1 wrote it before {@code TrainingState} had fields for it:
 * metadata strings, parsed here strictly (a malformed value is an error naming the file and key,
 * never a default). The model's metadata leaves these keys out once they are read.
 */
final class LegacyRunMetadata {
    static final String BATCH_SIZE = "train_batch_size";
    static final String SEED = "train_seed";
    static final String EPOCH_STEP = "train_epoch_step";
    static final String EPOCH_LOSS_SUM = "train_epoch_loss_sum";
    static final String EPOCH_LOSS_STEPS = "train_epoch_loss_steps";
    static final String INITIAL_LOSS = "train_initial_loss";
    static final String EPOCHS = "train_epochs";
    static final String DATA = "train_data";
    static final String DATA_DIR = "train_data_dir";
    static final String TRAIN_IMAGES = "train_images";
    static final String TRAIN_LABELS = "train_labels";
    static final String TEST_IMAGES = "test_images";
    static final String TEST_LABELS = "test_labels";
    static final String TRAIN_CSV = "train_csv";
    static final String TEST_CSV = "test_csv";
    static final String CSV_IMAGE_SHAPE = "train_csv_image_shape";
    static final String CLASSES = "train_classes";
    static final String LIMIT = "train_limit";

    static final List<String> KEYS = List.of(BATCH_SIZE, SEED, EPOCH_STEP, EPOCH_LOSS_SUM, EPOCH_LOSS_STEPS, INITIAL_LOSS,
            EPOCHS, DATA, DATA_DIR, TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS, TRAIN_CSV, TEST_CSV, CSV_IMAGE_SHAPE,
            CLASSES, LIMIT);

    private LegacyRunMetadata() {}

    static boolean present(Map<String, String> metadata) {
        for (String k : KEYS) {
            if (metadata.containsKey(k)) return true;
        }
        return false;
    }

    /** The resume state of a file that keeps it in metadata; {@code seed} is the training state's, which train_seed must equal. */
    static ResumeState read(Map<String, String> m, long seed, String src) {
        if (m.containsKey(SEED) && parseLong(m, SEED, src) != seed) {
            throw ResumeState.invalid(src, "metadata " + SEED + " " + m.get(SEED) + " differs from the training state's seed " + seed);
        }
        int batch = m.containsKey(BATCH_SIZE) ? positive(m, BATCH_SIZE, src) : 0;
        EpochPosition position = EpochPosition.START;
        if (m.containsKey(EPOCH_STEP)) {
            boolean sums = m.containsKey(EPOCH_LOSS_SUM) || m.containsKey(EPOCH_LOSS_STEPS);
            if (sums && !(m.containsKey(EPOCH_LOSS_SUM) && m.containsKey(EPOCH_LOSS_STEPS))) {
                throw ResumeState.invalid(src, "metadata " + EPOCH_LOSS_SUM + " and " + EPOCH_LOSS_STEPS + " go together");
            }
            // Files older than the loss sums resume without them: the resumed epoch then reports the mean of its own steps.
            position = ResumeState.position(nonNegative(m, EPOCH_STEP, src), sums ? parseDouble(m, EPOCH_LOSS_SUM, src) : 0,
                    sums ? nonNegative(m, EPOCH_LOSS_STEPS, src) : 0, src);
        } else if (m.containsKey(EPOCH_LOSS_SUM) || m.containsKey(EPOCH_LOSS_STEPS)) {
            throw ResumeState.invalid(src, "metadata " + EPOCH_LOSS_SUM + "/" + EPOCH_LOSS_STEPS + " without " + EPOCH_STEP);
        }
        double initial = m.containsKey(INITIAL_LOSS) ? parseDouble(m, INITIAL_LOSS, src) : Double.NaN;
        TrainingRun run = null;
        if (m.containsKey(EPOCHS) || m.containsKey(DATA) || m.containsKey(TRAIN_IMAGES) || m.containsKey(TRAIN_CSV)
                || m.containsKey(CLASSES) || m.containsKey(LIMIT)) {
            int[] shape = m.containsKey(CSV_IMAGE_SHAPE) ? shape(m.get(CSV_IMAGE_SHAPE), src) : new int[] {0, 0};
            run = ResumeState.run(m.containsKey(EPOCHS) ? positive(m, EPOCHS, src) : 0, text(m, DATA), text(m, DATA_DIR),
                    text(m, TRAIN_IMAGES), text(m, TRAIN_LABELS), text(m, TEST_IMAGES), text(m, TEST_LABELS), text(m, TRAIN_CSV),
                    text(m, TEST_CSV), shape[0], shape[1], m.containsKey(CLASSES) ? positive(m, CLASSES, src) : 0,
                    m.containsKey(LIMIT) ? positive(m, LIMIT, src) : 0, src);
        }
        return new ResumeState(batch, position, initial, run, true);
    }

    private static String text(Map<String, String> m, String key) {
        String s = m.get(key);
        return s == null || s.isBlank() ? null : s;
    }

    private static int positive(Map<String, String> m, String key, String src) {
        int v = nonNegative(m, key, src);
        if (v < 1) throw ResumeState.invalid(src, "metadata " + key + " is " + v + ", not a positive integer");
        return v;
    }

    private static int nonNegative(Map<String, String> m, String key, String src) {
        return ResumeState.toInt(parseLong(m, key, src), "metadata " + key, src);
    }

    private static long parseLong(Map<String, String> m, String key, String src) {
        try {
            return Long.parseLong(m.get(key).trim());
        } catch (NumberFormatException e) {
            throw ResumeState.invalid(src, "metadata " + key + " '" + m.get(key) + "' is not an integer");
        }
    }

    private static double parseDouble(Map<String, String> m, String key, String src) {
        double v;
        try {
            v = Double.parseDouble(m.get(key).trim());
        } catch (NumberFormatException e) {
            throw ResumeState.invalid(src, "metadata " + key + " '" + m.get(key) + "' is not a number");
        }
        if (!Double.isFinite(v)) throw ResumeState.invalid(src, "metadata " + key + " is " + v);
        return v;
    }

    /** ROWSxCOLS as tinynn train's --image-shape took it. */
    private static int[] shape(String text, String src) {
        String[] p = text.trim().split("[x,X]");
        try {
            if (p.length == 2) {
                int r = Integer.parseInt(p[0].trim()), c = Integer.parseInt(p[1].trim());
                if (r > 0 && c > 0) return new int[] {r, c};
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ResumeState.invalid(src, "metadata " + CSV_IMAGE_SHAPE + " '" + text + "' is not an image shape like 28x28");
    }
}
