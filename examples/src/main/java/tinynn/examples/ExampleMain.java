package tinynn.examples;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * Runs an example without the CLI: {@code java -cp ... tinynn.examples.ExampleMain NAME [--quick] [options]}
 * (the same options as {@code tinynn example}).
 */
public final class ExampleMain {
    private ExampleMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            for (Example e : Examples.all()) System.out.printf("%-12s %s%n", e.name(), e.summary());
            return;
        }
        run(args[0], Arrays.copyOfRange(args, 1, args.length));
    }

    /** Runs the example {@code name} with {@code tinynn example}'s options: what each example's own main calls. */
    public static void run(String name, String[] options) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        ExampleResult r = Examples.run(Examples.named(name), ExampleOptions.parse(options), out);
        r.lines().forEach(out::println);
        out.flush();
    }
}
