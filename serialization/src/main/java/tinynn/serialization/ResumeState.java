package tinynn.serialization;

import java.util.Map;
import tinynn.runtime.model.EpochPosition;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.TrainingRun;
import tinynn.serialization.ModelFileException.Reason;
import tinynn.serialization.proto.TrainingState;

/**
 * The resume state of a training run as a file holds it: {@link TrainingState}'s batch_size,
 * epoch_position, initial_loss and run, or, in files written before those fields, the "train_*"
 * metadata strings ({@link LegacyRunMetadata}). Read with no defaults: a value out of range is an
 * error naming the file.
 *
 * @param initialLoss NaN when not recorded
 * @param run         null when not recorded
 * @param legacy      whether it came from metadata strings, which the model's metadata then leaves out
 */
record ResumeState(int batchSize, EpochPosition position, double initialLoss, TrainingRun run, boolean legacy) {

    static final String ADVICE = "re-save the model with tinynn, or check the program that wrote it";

    /** The state of a file's training message; its metadata is consulted only when no typed field is set. */
    static ResumeState read(TrainingState t, Map<String, String> metadata, long seed, String src) {
        boolean typed = t.getBatchSize() != 0 || t.hasEpochPosition() || t.hasInitialLoss() || t.hasRun();
        if (!typed && LegacyRunMetadata.present(metadata)) {
            return LegacyRunMetadata.read(metadata, seed, src);
        }
        int batch = toInt(t.getBatchSize() & 0xFFFFFFFFL, "training batch_size", src);
        EpochPosition position = EpochPosition.START;
        if (t.hasEpochPosition()) {
            var p = t.getEpochPosition();
            if (p.getStep() < 1) {
                throw invalid(src, "training epoch_position step is " + p.getStep() + " (a position is at least one step into the epoch)");
            }
            position = position(toInt(p.getStep(), "training epoch_position step", src), p.getLossSum(),
                    toInt(p.getLossSteps(), "training epoch_position loss_steps", src), src);
        }
        double initial = Double.NaN;
        if (t.hasInitialLoss()) {
            initial = t.getInitialLoss();
            if (!Double.isFinite(initial)) throw invalid(src, "training initial_loss is " + initial);
        }
        TrainingRun run = null;
        if (t.hasRun()) {
            var r = t.getRun();
            run = run(toInt(r.getEpochs() & 0xFFFFFFFFL, "training run epochs", src), text(r.getDataset()), text(r.getDataDir()),
                    text(r.getTrainImages()), text(r.getTrainLabels()), text(r.getTestImages()), text(r.getTestLabels()),
                    text(r.getTrainCsv()), text(r.getTestCsv()),
                    toInt(r.getImageRows() & 0xFFFFFFFFL, "training run image_rows", src),
                    toInt(r.getImageCols() & 0xFFFFFFFFL, "training run image_cols", src),
                    toInt(r.getClasses() & 0xFFFFFFFFL, "training run classes", src),
                    toInt(r.getLimit() & 0xFFFFFFFFL, "training run limit", src), src);
        }
        return new ResumeState(batch, position, initial, run, false);
    }

    /** Writes the model's resume state into its training message. */
    static void write(Model model, TrainingState.Builder t) {
        if (model.batchSize() > 0) t.setBatchSize(model.batchSize());
        EpochPosition p = model.epochPosition();
        if (!p.atStart()) {
            t.setEpochPosition(tinynn.serialization.proto.EpochPosition.newBuilder()
                    .setStep(p.step()).setLossSum(p.lossSum()).setLossSteps(p.lossSteps()));
        }
        if (Double.isFinite(model.initialLoss())) t.setInitialLoss(model.initialLoss());
        TrainingRun r = model.trainingRun();
        if (r != null) {
            var b = tinynn.serialization.proto.TrainingRun.newBuilder()
                    .setEpochs(r.epochs()).setImageRows(r.imageRows()).setImageCols(r.imageCols())
                    .setClasses(r.classes()).setLimit(r.limit());
            if (r.dataset() != null) b.setDataset(r.dataset());
            if (r.dataDir() != null) b.setDataDir(r.dataDir());
            if (r.trainImages() != null) b.setTrainImages(r.trainImages());
            if (r.trainLabels() != null) b.setTrainLabels(r.trainLabels());
            if (r.testImages() != null) b.setTestImages(r.testImages());
            if (r.testLabels() != null) b.setTestLabels(r.testLabels());
            if (r.trainCsv() != null) b.setTrainCsv(r.trainCsv());
            if (r.testCsv() != null) b.setTestCsv(r.testCsv());
            t.setRun(b);
        }
    }

    /** Restores the state into a model rebuilt from the file. */
    void restore(Model model) {
        model.batchSize(batchSize);
        model.epochPosition(position.step(), position.lossSum(), position.lossSteps());
        model.initialLoss(initialLoss);
        model.trainingRun(run);
    }

    static EpochPosition position(int step, double lossSum, int lossSteps, String src) {
        try {
            return new EpochPosition(step, lossSum, lossSteps);
        } catch (IllegalArgumentException e) {
            throw invalid(src, "training " + e.getMessage());
        }
    }

    static TrainingRun run(int epochs, String dataset, String dataDir, String trainImages, String trainLabels, String testImages,
            String testLabels, String trainCsv, String testCsv, int rows, int cols, int classes, int limit, String src) {
        if (classes == 1 || classes > 256) throw invalid(src, "training run classes is " + classes + " (2..256, or 0: not given)");
        try {
            return new TrainingRun(epochs, dataset, dataDir, trainImages, trainLabels, testImages, testLabels, trainCsv, testCsv,
                    rows, cols, classes, limit);
        } catch (IllegalArgumentException e) {
            throw invalid(src, e.getMessage());
        }
    }

    static int toInt(long v, String what, String src) {
        if (v < 0 || v > Integer.MAX_VALUE) throw invalid(src, what + " " + v + " is out of range");
        return (int) v;
    }

    static ModelFileException invalid(String src, String what) {
        return new ModelFileException(Reason.INVALID, src, what, ADVICE);
    }

    private static String text(String s) {
        return s.isEmpty() ? null : s;
    }
}
