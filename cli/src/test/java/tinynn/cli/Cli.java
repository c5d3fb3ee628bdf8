package tinynn.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Function;
import picocli.CommandLine;
import tinynn.runtime.train.TrainingListener;

/** Runs tinynn in-process, as the launcher would, capturing stdout and stderr. */
final class Cli {
    private Cli() {}

    record Result(int code, String out, String err) {
        @Override public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }

        /** Non-blank stderr lines. */
        long errLines() { return err.lines().filter(l -> !l.isBlank()).count(); }
    }

    static Result run(String... args) {
        return run(Main.commandLine(), args);
    }

    /** Runs tinynn with {@code listener} added to the trainer of its train command, given the run's checkpointer. */
    static Result train(Function<Checkpointer, TrainingListener> listener, String... args) {
        CommandLine cl = Main.commandLine();
        ((TrainCommand) cl.getSubcommands().get("train").getCommand()).testListener = listener;
        return run(cl, args);
    }

    private static Result run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
