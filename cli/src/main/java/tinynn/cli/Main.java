package tinynn.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code tinynn} command. Exit status: 0 success, 1 failure (bad file, failed download, diverging
 * loss, a checkpoint that could not be saved, ...), 2 usage error (unknown option, bad value), 130
 * training interrupted by Ctrl-C or SIGTERM with its checkpoint saved. Errors are one line on stderr
 * naming the file or option at fault; {@code --debug} adds the stack trace.
 */
@Command(name = "tinynn",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "A small, fast deep-learning framework: train, evaluate and run classifiers and character language models.",
        subcommands = {
                TrainCommand.class,
                EvalCommand.class,
                PredictCommand.class,
                InspectCommand.class,
                DataCommand.class,
                VersionCommand.class,
                BenchCommand.class,
                GenerateCommand.class,
                ExportCommand.class,
                ImportCommand.class,
                ExampleCommand.class,
                CommandLine.HelpCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  tinynn data mnist",
                "  tinynn train --data mnist --hidden 400,100 --epochs 5 --out mnist.tnn",
                "  tinynn eval mnist.tnn --data mnist",
                "  tinynn predict mnist.tnn digit.png",
                "  tinynn inspect mnist.tnn",
                "  tinynn train --text book.txt --out charlm.tnn",
                "  tinynn generate charlm.tnn --prime \"The \" --length 400",
                "  tinynn export mnist.tnn --format onnx -o mnist.onnx",
                "  tinynn import model.onnx -o model.tnn",
                "  tinynn example gan --quick",
                "",
                "Exit status: 0 ok; 1 failure (also: the loss diverged, or an interrupted",
                "training could not save its checkpoint); 2 usage error; 130 training",
                "interrupted by Ctrl-C or SIGTERM, checkpoint saved.",
                "Add --debug to any command for stack traces.",
                "Training on a cluster: bin/tinynn-spark train (JVM only, docs/spark.md)."
        })
public final class Main implements Runnable {
    private static final String VECTOR_MATH = "jdk.incubator.vector.VectorMathLibrary";

    /** Set from any (sub)command's {@code --debug}; read by the exception handlers. */
    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @Spec CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; try 'tinynn --help'");
    }

    /** A command line wired with tinynn's error handling, for the launcher and for tests. */
    public static CommandLine commandLine() {
        CommandLine cl = CommandTree.take();
        Main main = (Main) cl.getCommand();
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            String hint = ex instanceof CommandLine.UnmatchedArgumentException u ? Suggestions.of(u) : "";
            err.println(Errors.prefix(c) + Errors.oneLine(ex.getMessage()) + hint + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            if (main.debug) ex.printStackTrace(err);
            err.flush();
            return Errors.USAGE;
        });
        // picocli lets Errors (InternalError, StackOverflowError, OutOfMemoryError...) escape execute();
        // wrapped, they get the same one-line report as exceptions.
        cl.setExecutionStrategy(parseResult -> {
            StartupTrace.mark("arguments parsed");
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (Error e) {
                throw new CommandLine.ExecutionException(parseResult.asCommandLineList().getLast(), e.toString(), e);
            }
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            Throwable t = ex instanceof CommandLine.ExecutionException && ex.getCause() instanceof Error e ? e : ex;
            PrintWriter err = c.getErr();
            err.println(Errors.prefix(c) + Errors.describe(t));
            if (main.debug) t.printStackTrace(err);
            err.flush();
            return Errors.FAILURE;
        });
        return cl;
    }

    public static void main(String[] args) {
        StartupTrace.mark("main");
        if (VersionCommand.isNativeImage() && System.getProperty(VECTOR_MATH) == null) {
            // No SVML in a native image (see the native profile in cli/pom.xml): the Vector API's Java math.
            System.setProperty(VECTOR_MATH, "java");
        }
        CommandLine cl = commandLine();
        StartupTrace.mark("command line built");
        int code = cl.execute(args);
        System.out.flush();
        StartupTrace.mark("done");
        StartupTrace.print(System.err);
        System.exit(code);
    }
}
