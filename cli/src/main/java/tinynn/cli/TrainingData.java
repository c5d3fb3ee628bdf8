package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tinynn.data.DatasetSpec;
import tinynn.data.ImageDataset;
import tinynn.data.ImageFolder;
import tinynn.data.ValidationSplit;
import tinynn.runtime.model.Model;

/**
 * The data of a {@code tinynn train} run, loaded from the source its options name: a built-in set,
 * IDX files, CSV files or image folders; the training set cut to --limit, and the class labels.
 *
 * @param name   what the header line and the model's "dataset" metadata call it
 * @param source the directory or file that errors about the data name
 * @param metadata what the model file must keep about how the data was prepared (e.g. image folders' channels), for predict and eval
 */
record TrainingData(String name, String source, ImageDataset train, ImageDataset test, List<String> classLabels,
                    ImageDataset validation, Map<String, String> metadata) {

    /** Loads the data the options name; for a resumed model without a recorded source, its built-in "dataset". */
    static TrainingData load(TrainOptions o, Model resumed, PrintWriter progress) throws IOException {
        String name;
        String source;
        ImageDataset tr, te = null;
        List<String> folderClasses = null;
        Map<String, String> metadata = new LinkedHashMap<>();
        String builtIn = o.data;
        if (builtIn == null && o.trainImages == null && o.trainCsv == null && o.trainDir == null) {
            String recorded = resumed != null ? resumed.metadata().get(ModelInfo.DATASET) : null;
            if (recorded != null && DatasetSpec.isKnown(recorded)) builtIn = recorded;
            else throw o.usage(TrainOptions.NO_DATA);
        }
        if (builtIn != null) {
            o.checkDataSet(builtIn);
            Path dir = Datasets.fetch(builtIn, o.dataDir, progress);
            DatasetSpec spec = DatasetSpec.named(builtIn);
            tr = spec.train(dir);
            te = spec.test(dir);
            name = builtIn;
            source = dir.toString();
        } else if (o.trainImages != null) {
            tr = Datasets.idx(o.trainImages, o.trainLabels, o.classes);
            if (o.testImages != null) te = Datasets.idx(o.testImages, o.testLabels, tr.numClasses());
            name = o.trainImages.getFileName().toString();
            source = o.trainImages.toString();
        } else if (o.trainDir != null) {
            int[] shape = o.imageShape != null ? o.imageShape() : resumed != null ? resumedShape(resumed, o.resume) : null;
            ImageFolder f = ImageFolder.read(o.trainDir, shape, o.channels(), null);
            folderClasses = f.classes();
            tr = Datasets.withClasses(f.images(), o.classes, o.trainDir.toString());
            if (o.testDir != null) {
                te = ImageFolder.read(o.testDir, new int[] {tr.rows(), tr.cols()}, tr.channels(), folderClasses).images();
            }
            name = o.trainDir.toAbsolutePath().normalize().getFileName().toString();
            source = o.trainDir.toString();
            metadata.put(ModelInfo.IMAGE_RESIZE, ModelInfo.STRETCH);
            metadata.put(ModelInfo.IMAGE_CHANNELS, Integer.toString(tr.channels()));
            metadata.put(ModelInfo.TRAIN_DIR, o.trainDir.toAbsolutePath().normalize().toString());
            if (o.testDir != null) metadata.put(ModelInfo.TEST_DIR, o.testDir.toAbsolutePath().normalize().toString());
        } else {
            int[] shape = o.imageShape != null ? o.imageShape() : null;
            tr = Datasets.csv(o.trainCsv, shape, o.classes);
            if (o.testCsv != null) te = Datasets.csv(o.testCsv, new int[] {tr.rows(), tr.cols()}, tr.numClasses());
            name = o.trainCsv.getFileName().toString();
            source = o.trainCsv.toString();
        }
        if (te != null && te.features() != tr.features()) {
            throw new Failure(source + ": training images are " + tr.rows() + "x" + tr.cols() + " but test images are " + te.rows() + "x" + te.cols());
        }
        int k = tr.numClasses();
        List<String> labels;
        if (o.classLabels != null) {
            if (o.classLabels.size() < k) throw o.usage("--class-labels: " + o.classLabels.size() + " names for " + k + " classes");
            labels = new ArrayList<>(o.classLabels);
        } else if (folderClasses != null) {
            if (resumed != null && resumed.metadata().containsKey(ModelInfo.CLASS_LABELS)) {
                List<String> before = ModelInfo.classLabels(resumed, 0);
                if (!before.subList(0, Math.min(before.size(), folderClasses.size())).equals(folderClasses)) {
                    throw new Failure(source + ": the class folders are " + String.join(", ", folderClasses) + " but " + o.resume
                            + " was trained on " + String.join(", ", before) + "; use the same class folders");
                }
            }
            labels = new ArrayList<>(folderClasses);
            for (int i = labels.size(); i < k; i++) labels.add(Integer.toString(i));
        } else if (resumed != null && resumed.metadata().containsKey(ModelInfo.CLASS_LABELS)) {
            labels = ModelInfo.classLabels(resumed, k);
        } else {
            labels = Datasets.labelsOf(name, k);
        }
        if (te != null && te.numClasses() != labels.size()) {
            te = new ImageDataset(te.count(), te.rows(), te.cols(), te.pixels(), te.labels(), Math.max(te.numClasses(), labels.size()), te.channels());
        }
        if (o.limit != null) tr = tr.slice(0, Math.min(o.limit, tr.count()));
        ImageDataset val = null;
        if (o.valSplit != null) {
            long seed = resumed != null ? resumed.parameters().seed() : o.seed != null ? o.seed : TrainOptions.DEFAULT_SEED;
            try {
                ValidationSplit split = ValidationSplit.of(tr, o.valSplit, seed);
                tr = split.train();
                val = split.validation();
            } catch (IllegalArgumentException e) {
                throw new Failure(source + ": --val-split " + o.valSplit + ": " + e.getMessage());
            }
        }
        return new TrainingData(name, source, tr, te, labels, val, metadata);
    }

    /** A resumed folder run's image size: the model's, so the images are resized as before. */
    private static int[] resumedShape(Model resumed, Path file) {
        int features = ModelInfo.inputFeatures(resumed, String.valueOf(file));
        return ModelInfo.imageShape(resumed, features);
    }
}
