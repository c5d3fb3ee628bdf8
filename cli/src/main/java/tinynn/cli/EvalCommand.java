package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tinynn.data.DataException;
import tinynn.data.DatasetSpec;
import tinynn.data.ImageDataset;
import tinynn.runtime.metrics.ConfusionMatrix;
import tinynn.runtime.metrics.ConfusionMatrix.Average;
import tinynn.runtime.model.Model;

@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = {
                "Evaluates a model on labelled data: accuracy, top-5 accuracy, log loss, per-class precision/recall/F1 and the confusion matrix.",
                "Without a data option the data set recorded in the model (mnist, fashion-mnist or cifar10) is used."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  tinynn eval mnist.tnn --data mnist",
                "  tinynn eval mnist.tnn --data mnist --split train",
                "  tinynn eval model.tnn --images t10k-images-idx3-ubyte \\",
                "              --labels t10k-labels-idx1-ubyte",
                "  tinynn eval model.tnn --csv test.csv",
                "  tinynn eval photos.tnn --dir photos/test"
        })
public final class EvalCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model file (.tnn).")
    Path modelFile;

    @Option(names = "--data", paramLabel = "NAME", description = "Built-in data set: mnist, fashion-mnist or cifar10.")
    String data;

    @Option(names = "--split", paramLabel = "test|train", defaultValue = "test", description = "Split of a built-in data set (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Cache directory of built-in data sets.")
    Path dataDir;

    @Option(names = "--images", paramLabel = "FILE", description = "IDX images.")
    Path images;

    @Option(names = "--labels", paramLabel = "FILE", description = "IDX labels.")
    Path labels;

    @Option(names = {"--csv", "--test-csv"}, paramLabel = "FILE", description = "CSV rows label,p0,p1,... of 0-255 pixels; for a model "
            + "trained on a table (train --target), a CSV with a header holding its feature and target columns.")
    Path csv;

    @Option(names = "--dir", paramLabel = "DIR", description = "Images in class folders (as train --train-dir), resized to the model's shape; "
            + "the folders are named after the model's class labels.")
    Path dir;

    @Option(names = "--backend", paramLabel = "NAME", description = "Compute backend: simd or ojalgo (default: simd where the Vector API is available).")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    private ParameterException usage(String msg) { return new ParameterException(spec.commandLine(), msg); }

    @Override public Integer call() throws IOException {
        int sources = (data != null ? 1 : 0) + (images != null || labels != null ? 1 : 0) + (csv != null ? 1 : 0) + (dir != null ? 1 : 0);
        if (sources > 1) throw usage("choose one data source: --data, --images/--labels, --csv or --dir");
        if ((images == null) != (labels == null)) throw usage("--images and --labels go together");
        if (!split.equals("test") && !split.equals("train")) throw usage("--split: '" + split + "' is not test or train");
        if (threads != null && threads < 1) throw usage("--threads must be at least 1, got " + threads);

        Model model = ModelInfo.loadForInference(modelFile, TrainCommand.createBackend(backend,
                threads != null ? threads : Runtime.getRuntime().availableProcessors(), spec));
        ModelInfo.checkNotText(model, modelFile);
        int features = ModelInfo.inputFeatures(model, modelFile.toString());
        int outputs = ModelInfo.outputs(model, features);
        List<String> classLabels = ModelInfo.classLabels(model, outputs);

        if (TableModel.isTable(model)) return evalTable(model, sources);
        String name = data;
        if (sources == 0) {
            String recorded = model.metadata().get(ModelInfo.DATASET);
            if (recorded != null && DatasetSpec.isKnown(recorded)) name = recorded;
            else throw usage("no data; pass --data mnist|fashion-mnist|cifar10, --images/--labels, --csv or --dir");
        }
        ImageDataset ds;
        String what;
        if (name != null) {
            try {
                DatasetSpec.named(name);
            } catch (DataException e) {
                throw usage("--data: " + e.getMessage());
            }
            ds = Datasets.builtIn(name, dataDir, split.equals("train"), spec.commandLine().getErr());
            what = name + " " + split;
        } else if (images != null) {
            ds = Datasets.idx(images, labels, outputs);
            what = images.toString();
        } else if (dir != null) {
            int[] shape = ModelInfo.imageShape(model, features);
            if (shape == null) throw new Failure(modelFile + ": the model's input (" + features + " features) is not an image; evaluate it on --csv rows");
            ds = tinynn.data.ImageFolder.read(dir, shape, ModelInfo.imageChannels(model, features), classLabels).images();
            what = dir.toString();
        } else {
            int[] shape = ModelInfo.imageShape(model, features);
            ds = Datasets.csv(csv, shape, outputs);
            what = csv.toString();
        }
        if (ds.features() != features) {
            throw new Failure(what + ": examples have " + ds.features() + " features (" + ds.rows() + "x" + ds.cols()
                    + ") but " + modelFile + " expects " + features);
        }
        ModelInfo.checkImageShape(model, features, ds, what, modelFile);

        long t0 = System.nanoTime();
        Evaluation ev = Evaluation.run(model, ds, outputs, new Object());
        double secs = (System.nanoTime() - t0) / 1e9;
        if (ev.firstNonFinite >= 0) {
            throw Evaluation.nonFiniteOutput(modelFile, model, ev.nonFiniteValue, "example " + (ev.firstNonFinite + 1) + " of " + what);
        }
        print(spec.commandLine().getOut(), what, ev, classLabels, secs);
        return Errors.OK;
    }

    /**
     * A table model on --csv rows: classification metrics as for images, or RMSE, MAE and R² (in the target's units)
     * for regression; features are standardised with the statistics saved in the model.
     */
    private int evalTable(Model model, int sources) throws IOException {
        TableModel table = TableModel.of(model, modelFile);
        if (csv == null || sources != 1) {
            throw usage(modelFile + " was trained on a table: pass --csv FILE, a CSV with a header holding its feature columns and '"
                    + table.targetColumn() + "'");
        }
        TableModel.Rows rows = table.rows(TableModel.read(csv), true);
        PrintWriter o = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        if (table.regression()) {
            TableModel.Fit fit = table.fit(model, rows, new Object());
            double secs = (System.nanoTime() - t0) / 1e9;
            if (!Double.isFinite(fit.rmse())) throw Evaluation.nonFiniteOutput(modelFile, model, fit.rmse(), csv.toString());
            o.printf(Locale.ROOT, "%s: %,d rows, %.2f s%n", csv, rows.n(), secs);
            o.printf(Locale.ROOT, "rmse  %.6g%nmae   %.6g%nr2    %.4f%n", fit.rmse(), fit.mae(), fit.r2());
            o.flush();
            return Errors.OK;
        }
        Evaluation ev = table.classify(model, rows, new Object());
        double secs = (System.nanoTime() - t0) / 1e9;
        if (ev.firstNonFinite >= 0) {
            throw Evaluation.nonFiniteOutput(modelFile, model, ev.nonFiniteValue, csv + ":" + rows.table().lines()[ev.firstNonFinite]);
        }
        print(o, csv.toString(), ev, table.classes(), secs);
        return Errors.OK;
    }

    static void print(PrintWriter o, String what, Evaluation ev, List<String> labels, double secs) {
        int k = ev.numClasses;
        o.printf(Locale.ROOT, "%s: %,d examples, %.2f s%n", what, ev.count, secs);
        ConfusionMatrix cm = ev.confusion;
        o.printf(Locale.ROOT, "accuracy  %.4f  (%,d/%,d)%n", ev.accuracy(), ev.correct(), ev.count);
        o.printf(Locale.ROOT, "%-8s  %.4f  (%,d/%,d)%n", "top-" + ev.topK(), ev.topKAccuracy(), ev.topKHits, ev.count);
        o.printf(Locale.ROOT, "log loss  %.4f%n", ev.loss());
        o.println();
        int w = 5;
        for (int c = 0; c < k; c++) w = Math.max(w, Evaluation.label(labels, c).length());
        w = Math.max(w, "weighted avg".length());
        String line = "%-" + w + "s  %9.4f  %9.4f  %9.4f  %8d%n";
        o.printf(Locale.ROOT, "%-" + w + "s  %9s  %9s  %9s  %8s%n", "class", "precision", "recall", "f1", "support");
        for (int c = 0; c < k; c++) {
            o.printf(Locale.ROOT, line, Evaluation.label(labels, c), cm.precision(c), cm.recall(c), cm.f1(c), cm.support(c));
        }
        if (cm.total() > 0) {
            for (Average a : Average.values()) {
                o.printf(Locale.ROOT, line, a.name().toLowerCase(Locale.ROOT) + " avg", cm.precision(a), cm.recall(a), cm.f1(a), cm.total());
            }
        }
        o.println();
        o.println("confusion matrix (rows: actual, columns: predicted):");
        int cw = 4;
        for (int a = 0; a < k; a++) for (int p = 0; p < k; p++) cw = Math.max(cw, Long.toString(cm.count(a, p)).length() + 1);
        int lw = 0;
        for (int c = 0; c < k; c++) lw = Math.max(lw, Integer.toString(c).length());
        StringBuilder head = new StringBuilder(" ".repeat(lw + 2));
        for (int p = 0; p < k; p++) head.append(String.format(Locale.ROOT, "%" + cw + "d", p));
        o.println(head);
        for (int a = 0; a < k; a++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%" + lw + "d  ", a));
            for (int p = 0; p < k; p++) row.append(String.format(Locale.ROOT, "%" + cw + "d", cm.count(a, p)));
            if (!Evaluation.label(labels, a).equals(Integer.toString(a))) row.append("  ").append(Evaluation.label(labels, a));
            o.println(row);
        }
        o.flush();
    }
}
