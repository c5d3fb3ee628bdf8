package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tinynn.data.DatasetSpec;
import tinynn.data.ImageDataset;
import tinynn.data.ValidationSplit;
import tinynn.runtime.model.Model;

/**
 * The data of a {@code tinynn train} run, loaded from the source its options name: a built-in set,
 * IDX files or CSV files; the training set cut to --limit, and the class labels.
 *
 * @param name   what the header line and the model's "dataset" metadata call it
 * @param source the directory or file that errors about the data name
 */
record TrainingData(String name, String source, ImageDataset train, ImageDataset test, List<String> classLabels,
                    ImageDataset validation) {

    /** Loads the data the options name; for a resumed model without a recorded source, its built-in "dataset". */
    static TrainingData load(TrainOptions o, Model resumed, PrintWriter progress) throws IOException {
        String name;
        String source;
        ImageDataset tr, te = null;
        String builtIn = o.data;
        if (builtIn == null && o.trainImages == null && o.trainCsv == null) {
            String recorded = resumed != null ? resumed.metadata().get(ModelInfo.DATASET) : null;
            if (recorded != null && (recorded.equals("mnist") || recorded.equals("fashion-mnist"))) builtIn = recorded;
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
        } else if (resumed != null && resumed.metadata().containsKey(ModelInfo.CLASS_LABELS)) {
            labels = ModelInfo.classLabels(resumed, k);
        } else {
            labels = Datasets.labelsOf(name, k);
        }
        if (te != null && te.numClasses() != labels.size()) {
            te = new ImageDataset(te.count(), te.rows(), te.cols(), te.pixels(), te.labels(), Math.max(te.numClasses(), labels.size()));
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
        return new TrainingData(name, source, tr, te, labels, val);
    }
}
