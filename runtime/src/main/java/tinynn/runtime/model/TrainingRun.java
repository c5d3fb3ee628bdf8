package tinynn.runtime.model;

/**
 * How a training run was started, saved with the model so that resuming it needs nothing else:
 * the epochs it trains to and where its data came from. Paths are absolute (a run resumes from any
 * directory); a source that was not given is null, a count that was not given is 0.
 *
 * @param epochs       the run trains until this many epochs are done; 0 when not recorded
 * @param dataset      a built-in data set's name (e.g. "mnist"), and {@code dataDir} its directory when one was given
 * @param trainImages  IDX images and labels of the training set, and of the test set
 * @param trainCsv     CSV rows of the training and test sets, with {@code imageRows} x {@code imageCols} when given
 * @param classes      the number of classes when given
 * @param limit        the number of training examples used when limited
 */
public record TrainingRun(int epochs, String dataset, String dataDir, String trainImages, String trainLabels,
                          String testImages, String testLabels, String trainCsv, String testCsv,
                          int imageRows, int imageCols, int classes, int limit) {

    public TrainingRun {
        if (epochs < 0) throw new IllegalArgumentException("training run: epochs " + epochs + " is negative");
        if (imageRows < 0 || imageCols < 0 || (imageRows == 0) != (imageCols == 0)) {
            throw new IllegalArgumentException("training run: image shape " + imageRows + "x" + imageCols);
        }
        if (classes < 0 || limit < 0) throw new IllegalArgumentException("training run: classes " + classes + ", limit " + limit);
    }
}
