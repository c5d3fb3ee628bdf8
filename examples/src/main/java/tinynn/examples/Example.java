package tinynn.examples;

import java.io.IOException;
import java.util.Set;

/**
 * One program of {@code tinynn example NAME}: a complete use of the public API (data, nets, training loop,
 * results, pictures) that doubles as documentation. Each implementation is one file; {@link Examples} lists them.
 */
public interface Example {

    /** What users type after {@code tinynn example}, e.g. "gan". */
    String name();

    /** One line for the list of examples. */
    String summary();

    /**
     * The options beyond the common ones (quick, data-dir, out-dir, seed, epochs, threads, backend) that this
     * example reads, by long name without dashes ("arch", "text", "image"); others are rejected before it runs.
     */
    default Set<String> options() { return Set.of(); }

    /** Runs the example: progress to {@link ExampleContext#out()}, pictures to its output directory. */
    ExampleResult run(ExampleContext ctx) throws IOException;
}
