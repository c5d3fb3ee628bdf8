package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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

@Command(name = "data",
        mixinStandardHelpOptions = true,
        description = {
                "Fetches a built-in data set into the cache and verifies its checksums.",
                "Files already present and verified are not downloaded again. The cache is --dir, else "
                        + "$TINYNN_DATA/NAME, else ~/.cache/tinynn/NAME; a NAME.gz put there by hand is used too.",
                "fashion-mnist is taken from Debian's dataset-fashion-mnist package when it is installed "
                        + "(apt-get install dataset-fashion-mnist), before any download.",
                "cifar10 (binary version) comes as one archive, cifar-10-binary.tar.gz, checked against its published "
                        + "MD5; one downloaded by hand and put in the directory is used too.",
                "Without NAME, lists the built-in data sets."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  tinynn data mnist",
                "  tinynn data fashion-mnist --dir /data/fashion",
                "  tinynn data cifar10",
                "  tinynn data"
        })
public final class DataCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "mnist, fashion-mnist or cifar10; none lists them.")
    String name;

    @Option(names = "--dir", paramLabel = "DIR", description = "Directory to put the files in.")
    Path dir;

    @Override public Integer call() throws IOException {
        if (name == null) {
            PrintWriter o = spec.commandLine().getOut();
            for (DatasetSpec known : DatasetSpec.known()) {
                o.printf(Locale.ROOT, "%-14s %d classes, %d files%n", known.name(), known.numClasses(), known.files().size());
            }
            o.flush();
            return Errors.OK;
        }
        DatasetSpec ds;
        try {
            ds = DatasetSpec.named(name);
        } catch (DataException e) {
            throw new ParameterException(spec.commandLine(), "NAME: " + e.getMessage());
        }
        long t0 = System.nanoTime();
        Path d = Datasets.fetch(name, dir, spec.commandLine().getErr());
        ImageDataset train = ds.train(d), test = ds.test(d);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%s: %,d training and %,d test images of %s%dx%d, %d classes, verified in %.1f s%n",
                name, train.count(), test.count(), train.channels() == 1 ? "" : train.channels() + "x", train.rows(), train.cols(),
                ds.numClasses(), (System.nanoTime() - t0) / 1e9);
        o.println(d);
        o.flush();
        return Errors.OK;
    }
}
