package tinynn.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of an example run; null means "the example's default". The CLI fills them from picocli,
 * {@link #parse} from a plain {@code main}'s arguments.
 *
 * @param quick   a run of seconds on a subset or fixture (what CI runs), still long enough to learn
 * @param dataDir a directory holding the data set's files (e.g. the four MNIST IDX files, or a fixture in
 *                that format); null fetches the data set into the cache
 * @param outDir  where pictures and models go (default: ./NAME-out)
 * @param arch    the network of examples that offer several (mnist: mlp, lenet5, lstm)
 * @param text    a UTF-8 text file (word2vec)
 * @param image   a PNG or JPEG picture (nn-paint)
 */
public record ExampleOptions(boolean quick, Path dataDir, Path outDir, Long seed, Integer epochs, Integer threads,
                             String backend, String arch, Path text, Path image) {

    public static final ExampleOptions DEFAULTS = new ExampleOptions(false, null, null, null, null, null, null, null, null, null);

    public ExampleOptions withQuick(boolean q) { return new ExampleOptions(q, dataDir, outDir, seed, epochs, threads, backend, arch, text, image); }
    public ExampleOptions withDataDir(Path d) { return new ExampleOptions(quick, d, outDir, seed, epochs, threads, backend, arch, text, image); }
    public ExampleOptions withOutDir(Path d) { return new ExampleOptions(quick, dataDir, d, seed, epochs, threads, backend, arch, text, image); }
    public ExampleOptions withSeed(Long s) { return new ExampleOptions(quick, dataDir, outDir, s, epochs, threads, backend, arch, text, image); }
    public ExampleOptions withEpochs(Integer e) { return new ExampleOptions(quick, dataDir, outDir, seed, e, threads, backend, arch, text, image); }
    public ExampleOptions withThreads(Integer t) { return new ExampleOptions(quick, dataDir, outDir, seed, epochs, t, backend, arch, text, image); }
    public ExampleOptions withBackend(String b) { return new ExampleOptions(quick, dataDir, outDir, seed, epochs, threads, b, arch, text, image); }
    public ExampleOptions withArch(String a) { return new ExampleOptions(quick, dataDir, outDir, seed, epochs, threads, backend, a, text, image); }
    public ExampleOptions withText(Path t) { return new ExampleOptions(quick, dataDir, outDir, seed, epochs, threads, backend, arch, t, image); }
    public ExampleOptions withImage(Path i) { return new ExampleOptions(quick, dataDir, outDir, seed, epochs, threads, backend, arch, text, i); }

    /** The extra options given (by long name), for checking them against {@link Example#options()}. */
    public List<String> extrasGiven() {
        List<String> l = new ArrayList<>();
        if (arch != null) l.add("arch");
        if (text != null) l.add("text");
        if (image != null) l.add("image");
        return l;
    }

    /** Parses {@code --quick --data-dir DIR --out-dir DIR --seed N --epochs N --threads N --backend NAME --arch A --text F --image F}. */
    public static ExampleOptions parse(String[] args) {
        ExampleOptions o = DEFAULTS;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--quick")) { o = o.withQuick(true); continue; }
            if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
            String v = args[++i];
            try {
                o = switch (a) {
                    case "--data-dir" -> o.withDataDir(Path.of(v));
                    case "--out-dir" -> o.withOutDir(Path.of(v));
                    case "--seed" -> o.withSeed(Long.parseLong(v));
                    case "--epochs" -> o.withEpochs(Integer.parseInt(v));
                    case "--threads" -> o.withThreads(Integer.parseInt(v));
                    case "--backend" -> o.withBackend(v);
                    case "--arch" -> o.withArch(v);
                    case "--text" -> o.withText(Path.of(v));
                    case "--image" -> o.withImage(Path.of(v));
                    default -> throw new IllegalArgumentException("unknown option " + a + "; options: --quick --data-dir --out-dir"
                            + " --seed --epochs --threads --backend --arch --text --image");
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(a + ": '" + v + "' is not a whole number");
            }
        }
        return o;
    }
}
