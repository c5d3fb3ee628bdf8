package tinynn.data;

import java.nio.file.Path;

/**
 * {@code java tinynn.data.FetchMain <mnist|fashion-mnist> [directory]}: fetches a data set into
 * its cache directory and prints that directory. A stand-alone entry point until the CLI's
 * {@code tinynn data} command wraps {@link DatasetFetcher}.
 */
public final class FetchMain {
    private FetchMain() {}

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: FetchMain <" + String.join("|",
                    DatasetSpec.known().stream().map(DatasetSpec::name).toList()) + "> [directory]");
            System.exit(2);
        }
        long start = System.nanoTime();
        try {
            DatasetSpec spec = DatasetSpec.named(args[0]);
            Path explicit = args.length == 2 ? Path.of(args[1]) : null;
            Path dir = new DatasetFetcher(System.err::println).fetch(spec, explicit);
            System.err.printf("done in %.1f s%n", (System.nanoTime() - start) / 1e9);
            System.out.println(dir);
        } catch (DataException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }
}
