package tinynn.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code tinynn-spark} command: {@code tinynn}'s exit statuses and one-line errors ({@code --debug} for stack
 * traces); a failed Spark job reports the executor's error, not Spark's wrapping of it.
 */
@Command(name = "tinynn-spark",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "tinynn's data-parallel training on Apache Spark (JVM only; the tinynn binary trains on one machine).",
        subcommands = {SparkTrainCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  tinynn-spark train --master local[2] --data mnist --out mnist.tnn",
                "  tinynn-spark train --master spark://HOST:7077 --data mnist \\",
                "               --data-dir /shared/mnist --out mnist.tnn",
                "",
                "Exit status: 0 ok; 1 failure; 2 usage error. Add --debug for stack traces."
        })
public final class SparkCli implements Runnable {

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @Spec CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; try 'tinynn-spark --help'");
    }

    public static CommandLine commandLine() {
        SparkCli main = new SparkCli();
        CommandLine cl = new CommandLine(main);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println(Errors.prefix(c) + Errors.oneLine(ex.getMessage()) + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            if (main.debug) ex.printStackTrace(err);
            err.flush();
            return Errors.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            PrintWriter err = c.getErr();
            err.println(Errors.prefix(c) + Errors.describe(cause(ex)));
            if (main.debug) ex.printStackTrace(err);
            err.flush();
            return Errors.FAILURE;
        });
        return cl;
    }

    /** The error that made a Spark job fail: the first cause that Spark did not add (in local mode, the executor's own). */
    static Throwable cause(Throwable t) {
        Throwable c = t;
        while (c.getClass().getName().startsWith("org.apache.spark.") && c.getCause() != null && c.getCause() != c) c = c.getCause();
        return c;
    }

    /** For tests: the train command of a command line, to set its fault-injection hook. */
    public static void hook(CommandLine cl, tinynn.spark.TaskHook hook) {
        ((SparkTrainCommand) cl.getSubcommands().get("train").getCommand()).hook = hook;
    }
}
