package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Backend;
import tinynn.runtime.model.Model;

/**
 * A --train-csv F --target COLUMN run made ready to train: the table's standardised rows, and an mlp (or a spec's
 * network, or --init-from's) from the feature columns to the classes (softmax cross-entropy) or to the standardised
 * target (mse), or the resumed model, checked against the table, with the table's description (columns, statistics,
 * classes) in its metadata for predict and eval, and the run's record. {@code tinynn train} and
 * {@code tinynn-spark train} both start here and then train it their own way.
 *
 * @param arch  what the header line calls the network
 * @param batch --batch-size, else the resumed run's, the spec's or 32
 */
record TableRun(TableData data, Model model, String arch, int batch) {

    /** An mlp's hidden sizes for a table unless --hidden says otherwise: tables have tens of features, not 784 pixels. */
    static final List<Integer> TABLE_HIDDEN = List.of(64, 32);

    /** {@code model}: the model to resume, or null for a new one of {@code dt}. */
    static TableRun prepare(TrainOptions o, Model model, Backend be, DType dt, Path target) throws IOException {
        TableData d = TableData.load(o, model);
        TableModel table = d.table();
        int features = table.features().size(), outputs = table.outputs();
        String archName;
        int specBatch = 0;
        Map<String, String> specMetadata = Map.of();
        if (model == null && o.initFrom != null) {
            model = TrainCommand.initFrom(o, be, features);
            archName = "fine-tuning " + o.initFrom.getFileName();
        } else if (model == null) {
            Architectures.Spec a = TrainCommand.buildArch(o, features, outputs, TABLE_HIDDEN);
            if (o.arch.equals("mlp") && table.regression()) {
                a = new Architectures.Spec(a.name(), a.layers(), a.optimizer(), a.hyper(), a.metadata(), tinynn.ops.loss.Losses.mse(), a.schedule(), a.batchSize());
            }
            archName = a.name();
            specMetadata = a.metadata();
            specBatch = a.batchSize();
            model = TrainCommand.newModel(o, a, be, dt, Shape.of(1, features));
        } else {
            archName = TrainCommand.resumedName(o);
            TrainCommand.resumeOptimizer(o, model);
        }
        int in = ModelInfo.inputFeatures(model, o.resume != null ? o.resume.toString() : o.arch);
        if (in != features) throw new Failure(o.trainCsv + ": the table has " + features + " feature columns but the network takes " + in + " inputs");
        int out = ModelInfo.outputs(model, features);
        if (out != outputs) {
            throw new Failure(o.trainCsv + ": " + (table.regression() ? "regression needs 1 output" : "the target has " + outputs + " classes")
                    + " but the network has " + out + " outputs");
        }
        int batch = o.batchSize != null ? o.batchSize : model.batchSize() > 0 ? model.batchSize() : specBatch > 0 ? specBatch : 32;
        TrainCommand.checkEpochs(o, model, target);

        Map<String, String> meta = model.metadata();
        meta.putAll(specMetadata);
        meta.put(ModelInfo.DATASET, d.name());
        table.describe(meta);
        model.trainingRun(o.record());
        model.trainingControl(o.control());
        return new TableRun(d, model, archName, batch);
    }

    /** The lines after the header: what is predicted from what, and the rows. */
    void describe(PrintWriter w) {
        TableModel table = data.table();
        w.printf(Locale.ROOT, "table: %s of '%s' from %d feature columns (standardised)%s%n",
                table.regression() ? "regression" : "classification into " + table.outputs() + " classes", table.targetColumn(),
                table.features().size(), table.regression() ? "; losses are half the squared error of the standardised target, acc is R²" : "");
        w.printf(Locale.ROOT, "data: %,d training rows%s%s%n", data.train().n(),
                data.validation() != null ? String.format(Locale.ROOT, ", %,d validation rows", data.validation().n()) : "",
                data.test() != null ? String.format(Locale.ROOT, ", %,d test rows", data.test().n()) : " (no test set)");
    }

    /** After training a regression with a test set: its RMSE, MAE and R² in the target's units. */
    void printTestFit(PrintWriter w) {
        if (!data.table().regression() || data.test() == null) return;
        TableModel.Fit fit = data.table().fit(model, data.test(), new Object());
        w.printf(Locale.ROOT, "test rmse %.4g  mae %.4g  r2 %.4f%n", fit.rmse(), fit.mae(), fit.r2());
        w.flush();
    }
}
