package tinynn.spark;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import tinynn.cli.SparkCli;

/** Runs tinynn-spark or tinynn in-process, capturing stdout and stderr. */
final class Commands {
    private Commands() {}

    record Run(int code, String out, String err) {
        @Override public String toString() { return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err; }
    }

    static Run spark(String... args) { return run(SparkCli.commandLine(), args); }

    static Run tinynn(String... args) { return run(tinynn.cli.Main.commandLine(), args); }

    private static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
