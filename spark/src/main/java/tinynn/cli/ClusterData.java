package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tinynn.data.ImageDataset;

/**
 * The training set as {@code tinynn train} reads it (IDX, CSV, image folders, a built-in set; --limit and
 * --val-split applied), for Spark executors, which get the data options as arguments. It lives in tinynn.cli
 * because the option and data classes it reuses are package-private there.
 */
public final class ClusterData {
    private ClusterData() {}

    @Command(name = "data")
    static final class DataArgs {
        @Mixin TrainOptions o;
    }

    public static ImageDataset trainingSet(List<String> args) throws IOException {
        DataArgs a = new DataArgs();
        new CommandLine(a).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args.toArray(String[]::new));
        return TrainingData.load(a.o, null, new PrintWriter(Writer.nullWriter())).train();
    }
}
