package tinynn.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import tinynn.data.AtomicFiles;
import tinynn.data.DatasetFetcher;
import tinynn.data.DatasetSpec;
import tinynn.data.ImageDataset;
import tinynn.runtime.Backend;
import tinynn.runtime.Backends;

/**
 * What an example runs with: its options with the defaults filled in, where to print, where to write, and the
 * data sets it reads. One per run.
 */
public final class ExampleContext {
    /** The seed of every example unless --seed says otherwise. */
    public static final long DEFAULT_SEED = 1;

    private final String name;
    private final ExampleOptions options;
    private final PrintWriter out;

    public ExampleContext(String name, ExampleOptions options, PrintWriter out) {
        this.name = name;
        this.options = options;
        this.out = out;
    }

    public ExampleOptions options() { return options; }

    public boolean quick() { return options.quick(); }

    public PrintWriter out() { return out; }

    public long seed() { return options.seed() != null ? options.seed() : DEFAULT_SEED; }

    /** --epochs if given, else the example's default for a full or a quick run. */
    public int epochs(int full, int quick) {
        if (options.epochs() != null) {
            if (options.epochs() < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + options.epochs());
            return options.epochs();
        }
        return quick() ? quick : full;
    }

    public int threads() {
        int t = options.threads() != null ? options.threads() : Runtime.getRuntime().availableProcessors();
        if (t < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + t);
        return t;
    }

    /** A new backend as --backend and --threads say (each model of an example may take its own). */
    public Backend backend() {
        return Backends.createAndSetOjalgoThreads(options.backend() != null ? options.backend() : Backends.DEFAULT, threads());
    }

    /** Prints one line of progress and flushes, so a long run shows where it is. */
    public void log(String format, Object... args) {
        out.printf(java.util.Locale.ROOT, format + "%n", args);
        out.flush();
    }

    /** The output directory (created on first use): --out-dir, or ./NAME-out. */
    public Path outDir() throws IOException {
        Path d = options.outDir() != null ? options.outDir() : Path.of(name + "-out");
        Files.createDirectories(d);
        return d;
    }

    /** Writes {@code bytes} to {@code fileName} in the output directory, all or nothing, and returns its path. */
    public Path write(String fileName, byte[] bytes) throws IOException {
        Path f = outDir().resolve(fileName);
        AtomicFiles.write(f, bytes);
        return f;
    }

    /** A data set's two splits. */
    public record Split(ImageDataset train, ImageDataset test) {}

    /**
     * A built-in image data set (MNIST, Fashion-MNIST): from --data-dir as it is when that directory holds the
     * set's files (a fixture in the same format, say), else fetched and verified into --data-dir or the cache.
     */
    public Split images(DatasetSpec spec) throws IOException {
        Path given = options.dataDir();
        boolean present = given != null && spec.files().stream().allMatch(f -> Files.isRegularFile(given.resolve(f.name())));
        Path dir = present ? given : new DatasetFetcher(line -> log("%s", line)).fetch(spec, given);
        return new Split(spec.train(dir), spec.test(dir));
    }
}
