package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tinynn.examples.Example;
import tinynn.examples.ExampleOptions;
import tinynn.examples.ExampleResult;
import tinynn.examples.Examples;

@Command(name = "example",
        mixinStandardHelpOptions = true,
        description = {
                "Runs one of the examples (their Java sources under examples/ are the documentation): it trains, prints its "
                        + "results as 'result NAME = VALUE' lines and writes its pictures to --out-dir.",
                "Without NAME, lists them."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  tinynn example",
                "  tinynn example mnist --arch lenet5",
                "  tinynn example gan --quick --out-dir gan-pictures",
                "  tinynn example mnist --quick --data-dir DIR   # DIR holds the four MNIST IDX files"
        })
public final class ExampleCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The example to run.")
    String name;

    @Option(names = "--quick", description = "A run of seconds on a subset or fixture, still long enough to learn (what CI runs).")
    boolean quick;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "A directory with the data set's files, e.g. the four MNIST IDX files "
            + "(default: fetched into $TINYNN_DATA or ~/.cache/tinynn/NAME).")
    Path dataDir;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "Where pictures and models go (default: ./NAME-out).")
    Path outDir;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of weights, data order and sampling (default: 1).")
    Long seed;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (or episodes' worth of training) instead of the example's default.")
    Integer epochs;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--backend", paramLabel = "NAME", description = "Compute backend: simd or ojalgo (default: simd where the Vector API is available).")
    String backend;

    @Option(names = "--arch", paramLabel = "NAME", description = "mnist: the network, mlp, lenet5 or lstm (default: mlp).")
    String arch;

    @Option(names = "--text", paramLabel = "FILE", description = "word2vec: the UTF-8 text to learn word vectors from.")
    Path text;

    @Option(names = "--image", paramLabel = "FILE", description = "nn-paint: the PNG or JPEG picture to learn (default: a drawn test picture).")
    Path image;

    @Override public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (name == null) {
            for (Example e : Examples.all()) out.printf("%-12s %s%n", e.name(), e.summary());
            out.flush();
            return Errors.OK;
        }
        Example example;
        ExampleOptions options = new ExampleOptions(quick, dataDir, outDir, seed, epochs, threads, backend, arch, text, image);
        try {
            example = Examples.named(name);
            if (threads != null && threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            if (epochs != null && epochs < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
            for (String extra : options.extrasGiven()) {
                if (!example.options().contains(extra)) throw new IllegalArgumentException("example " + name + " has no --" + extra + " option");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ExampleResult r = Examples.run(example, options, out);
        r.lines().forEach(out::println);
        out.flush();
        return Errors.OK;
    }
}
