package tinynn.cli;

import java.io.IOException;
import java.util.List;
import picocli.CommandLine;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;

/**
 * For tinynn-spark's tests: the training tensors {@code tinynn train --resume MODEL} hands its Trainer for a table or a
 * text, read by tinynn train's own loaders (TableData, TextData) on one machine, for the reference runs that cluster
 * training must equal.
 */
public final class SingleMachineData {
    private SingleMachineData() {}

    /** [inputs, targets] of all training examples; {@code args} are the run's data options (--train-csv F, --text F, --val-split ...). */
    public static Tensor[] of(Model model, String... args) throws IOException {
        ClusterData.DataArgs a = new ClusterData.DataArgs();
        new CommandLine(a).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        if (ModelInfo.isTextModel(model)) {
            TextData d = TextData.load(a.o, model);
            return new Tensor[] {TextData.tensor(d.train().inputs(), d.train().count(), d.seqLen(), model.dtype()),
                    TextData.tensor(d.train().targets(), d.train().count(), d.seqLen(), model.dtype())};
        }
        TableData d = TableData.load(a.o, model);
        return new Tensor[] {d.train().inputs(model.dtype()), d.train().targets(model.dtype(), d.table().outputs())};
    }

    /** The metadata keys a table or text model's predict, eval and generate read. */
    public static List<String> predictionKeys(Model model) {
        return ModelInfo.isTextModel(model) ? List.of(ModelInfo.VOCABULARY, ModelInfo.TEXT_FILE, ModelInfo.INPUT_SHAPE, ModelInfo.DATASET)
                : List.of(TableModel.TASK, TableModel.TARGET_COLUMN, TableModel.FEATURE_COLUMNS, TableModel.FEATURE_MEAN, TableModel.FEATURE_STD,
                        TableModel.TARGET_MEAN, TableModel.TARGET_STD, ModelInfo.CLASS_LABELS, ModelInfo.INPUT_SHAPE, ModelInfo.NORMALIZATION,
                        ModelInfo.DATASET);
    }
}
