package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import tinynn.data.Cifar10;
import tinynn.data.CsvDataset;
import tinynn.data.DataException;
import tinynn.data.DatasetFetcher;
import tinynn.data.DatasetSpec;
import tinynn.data.IdxArray;
import tinynn.data.IdxReader;
import tinynn.data.ImageDataset;

/** Loads the data sets the commands accept: built-in names, IDX pairs and CSV files of pixel rows. */
final class Datasets {
    private Datasets() {}

    static final List<String> FASHION_LABELS = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** A labelled image set together with what to call it and its classes. */
    record Loaded(String name, ImageDataset data, List<String> classLabels) {}

    /** Class names of a built-in data set. */
    static List<String> labelsOf(String dataset, int numClasses) {
        if ("fashion-mnist".equals(dataset) && numClasses == FASHION_LABELS.size()) return FASHION_LABELS;
        if ("cifar10".equals(dataset) && numClasses == Cifar10.CLASS_NAMES.size()) return Cifar10.CLASS_NAMES;
        return numbered(numClasses);
    }

    static List<String> numbered(int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(Integer.toString(i));
        return l;
    }

    /** Builds the fetcher for a progress sink; tests swap in one whose sources are all local. */
    static Function<Consumer<String>, DatasetFetcher> fetchers = DatasetFetcher::new;

    /** Fetches (or finds in the cache) a built-in data set and returns its directory. */
    static Path fetch(String name, Path dir, PrintWriter progress) {
        DatasetSpec spec = DatasetSpec.named(name);
        return fetchers.apply(line -> { progress.println(line); progress.flush(); }).fetch(spec, dir);
    }

    static ImageDataset builtIn(String name, Path dir, boolean train, PrintWriter progress) throws IOException {
        DatasetSpec spec = DatasetSpec.named(name);
        Path d = fetch(name, dir, progress);
        return train ? spec.train(d) : spec.test(d);
    }

    /** An images/labels IDX pair; the class count is the largest label + 1 unless given. */
    static ImageDataset idx(Path images, Path labels, Integer classes) throws IOException {
        ImageDataset ds = ImageDataset.load(images, labels, 256);
        return withClasses(ds, classes, labels.toString());
    }

    /** One IDX images file without labels (for predict): rank 3 (n×rows×cols) or rank 2 (one image). */
    static IdxArray idxImages(Path file) throws IOException {
        IdxArray a = IdxReader.read(file);
        if (a.rank() != 2 && a.rank() != 3) {
            throw new DataException(file + ": an images file must have 2 (rows x cols) or 3 (count x rows x cols)"
                    + " dimensions but this one is " + a.shape());
        }
        return a;
    }

    /**
     * CSV rows "label,p0,p1,..." of raw 0-255 pixels, as images of the given shape (square if null).
     * With {@code classes} given, a label beyond it is reported with its line; else up to 256 (byte labels).
     */
    static ImageDataset csv(Path file, int[] imageShape, Integer classes) throws IOException {
        CsvDataset csv = CsvDataset.read(file, classes != null ? classes : 256);
        int[] shape = imageShape != null ? imageShape : squareShape(csv.width(), file.toString());
        ImageDataset ds = csv.asImages(shape[0], shape[1]);
        return withClasses(ds, classes, file.toString());
    }

    static int[] squareShape(int features, String source) {
        int side = (int) Math.round(Math.sqrt(features));
        if (side * side != features) {
            throw new DataException(source + ": rows have " + features + " pixels, not a square image; pass --image-shape ROWSxCOLS");
        }
        return new int[] {side, side};
    }

    static ImageDataset withClasses(ImageDataset ds, Integer classes, String labelSource) {
        int max = -1;
        for (int i = 0; i < ds.count(); i++) max = Math.max(max, ds.label(i));
        int k = classes != null ? classes : Math.max(2, max + 1);
        if (max >= k) {
            throw new DataException(labelSource + ": label " + max + " is out of range for --classes " + k);
        }
        return new ImageDataset(ds.count(), ds.rows(), ds.cols(), ds.pixels(), ds.labels(), k, ds.channels());
    }

    /** Parses "28x28" or "28,28". */
    static int[] parseShape(String text, String option) {
        String[] p = text.trim().split("[x,X]");
        try {
            if (p.length == 2) {
                int r = Integer.parseInt(p[0].trim()), c = Integer.parseInt(p[1].trim());
                if (r > 0 && c > 0) return new int[] {r, c};
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new IllegalArgumentException(option + ": '" + text + "' is not an image shape like 28x28");
    }

    static boolean exists(Path p) {
        return p != null && Files.exists(p);
    }

    static String shapeText(int[] s) {
        return Arrays.stream(s).mapToObj(Integer::toString).reduce((a, b) -> a + "," + b).orElse("");
    }
}
