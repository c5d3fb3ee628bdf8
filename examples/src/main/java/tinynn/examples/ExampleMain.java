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
        PrintWriter out = new PrintWriter(System.out, true);
        ExampleResult r = Examples.run(Examples.named(args[0]), ExampleOptions.parse(Arrays.copyOfRange(args, 1, args.length)), out);
        r.lines().forEach(out::println);
        out.flush();
    }
}
