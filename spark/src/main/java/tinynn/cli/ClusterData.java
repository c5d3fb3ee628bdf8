package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tinynn.runtime.model.Model;
import tinynn.spark.Examples;

/**
 * The training set as {@code tinynn train} reads it, for Spark executors, which get the data options as arguments:
 * images (IDX, CSV, image folders, a built-in set; --limit and --val-split applied), a --target table or a --text file.
 * A table or a text is read as a run resuming the run's model would read it: standardised with the statistics, and
 * encoded with the vocabulary, its metadata holds, and split with its seed, so every node cuts and scales the data
 * exactly as the driver did. It lives in tinynn.cli because the option and data classes it reuses are package-private there.
 */
public final class ClusterData {
    private ClusterData() {}

    @Command(name = "data")
    static final class DataArgs {
        @Mixin TrainOptions o;
    }

    public static Examples trainingSet(List<String> args, Model model) throws IOException {
        DataArgs a = new DataArgs();
        new CommandLine(a).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args.toArray(String[]::new));
        if (ModelInfo.isTextModel(model)) return Examples.Text.of(TextData.load(a.o, model).train());
        if (TableModel.isTable(model)) {
            TableModel.Rows rows = TableData.load(a.o, model).train();
            return new Examples.Table(rows.f(), rows.x(), rows.labels(), rows.y());
        }
        return Examples.Images.of(TrainingData.load(a.o, null, new PrintWriter(Writer.nullWriter())).train());
    }
}
