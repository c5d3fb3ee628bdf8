package tinynn.spark;

import tinynn.cli.SparkCli;

/** bin/tinynn-spark's entry point. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = SparkCli.commandLine().execute(args);
        System.out.flush();
        System.exit(code);
    }
}
