package tinynn.examples;

import java.util.List;
import java.util.stream.Collectors;

/** Every example, in the order {@code tinynn example} lists them. */
public final class Examples {
    private Examples() {}

    public static List<Example> all() {
        return List.of(
                new MnistExample(),
                new BinaryExample(),
                new NnPaintExample(),
                new AutoencoderExample(),
                new GanExample(),
                new DistillExample(),
                new DqnExample(),
                new Word2VecExample(),
                new Cifar10Example()
        );
    }

    /** The example called {@code name}, or an error listing the names. */
    public static Example named(String name) {
        return all().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown example '" + name + "'; examples: " + all().stream().map(Example::name).collect(Collectors.joining(", "))));
    }

    /** Runs one example as {@code tinynn example} does and returns its result; rejects options it does not read. */
    public static ExampleResult run(Example e, ExampleOptions options, java.io.PrintWriter out) throws java.io.IOException {
        for (String extra : options.extrasGiven()) {
            if (!e.options().contains(extra)) {
                throw new IllegalArgumentException("example " + e.name() + " has no --" + extra + " option"
                        + (e.options().isEmpty() ? "" : "; its own options: " + e.options().stream().sorted().map(o -> "--" + o).collect(Collectors.joining(", "))));
            }
        }
        return e.run(new ExampleContext(e.name(), options, out));
    }
}
