package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tinynn.data.DatasetFetcher;
import tinynn.data.DatasetSpec;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.ImageTensors;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.train.Outcome;
import tinynn.runtime.train.Trainer;

/**
 * Times the article's MNIST MLP (or LeNet-5, {@code --arch lenet5}, or the MNIST-rows LSTM, {@code --arch lstm}) per backend and thread count: one
 * training epoch, inference over the test set, single-image latency; GFLOP/s from {@link Flops}. Speeds are
 * for comparing configurations within one run on one machine; the first (warm-up) epoch is not counted.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {
                "Benchmarks the MNIST MLP (784-400-100-10, Adam, batch 128), or with --arch lenet5 the LeNet-5 CNN, or with --arch lstm "
                        + "an LSTM(128) reading the 28 rows of an image (Adam, batch 128), on each backend and thread count and prints a table: epoch time, GFLOP/s, training and inference images/s, "
                        + "single-image latency (median of 1000) and peak RSS.",
                "Uses the cached MNIST when present (see 'tinynn data mnist'), else random data of the same shape.",
                "With --steps N it times nothing: it counts the bytes N training steps allocate (after warm-up) and with "
                        + "--max-alloc-bytes fails when they exceed a bound."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  tinynn bench", "  tinynn bench --backends simd --threads 1,2 --epochs 3", "  tinynn bench --arch lenet5 --threads 1,2", "  tinynn bench --arch lstm --threads 1,2", "  tinynn bench --arch charlstm --threads 1,2",
                "  tinynn bench --synthetic --dtype f64", "  tinynn bench --steps 20 --max-alloc-bytes 256 --backends simd --threads 1,2"})
public final class BenchCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--backends", split = ",", paramLabel = "NAME", description = "Backends to time (default: simd,ojalgo).")
    List<String> backends = List.of("simd", "ojalgo");

    @Option(names = "--threads", split = ",", paramLabel = "N", description = "Thread counts (default: 1 and all cores).")
    List<Integer> threads;

    @Option(names = "--epochs", paramLabel = "N", description = "Timed epochs after one warm-up epoch; the best is reported (default: 1).")
    int epochs = 1;

    @Option(names = "--dtype", paramLabel = "f32|f64", description = "Element type (default: f32).")
    String dtype = "f32";

    @Option(names = "--synthetic", description = "Use random data even when MNIST is cached.")
    boolean synthetic;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "MNIST directory (default: the cache).")
    Path dataDir;

    /** The batch size every image net trains with here. */
    static final int BATCH = 128;

    /** The networks bench times: train's image presets. */
    static final List<String> ARCHS = List.of("mlp", "lenet5", "lstm", "charlstm");

    /** charlstm's synthetic text: tiny-shakespeare's vocabulary size, sequences of train's default length. */
    static final int TEXT_VOCAB = 65, TEXT_SEQ = 100, TEXT_WINDOWS = 1024, GENERATED = 2000;

    @Option(names = "--arch", paramLabel = "mlp|lenet5|lstm|charlstm", description = "Network: mlp (784-400-100-10), lenet5, lstm (LSTM(128) over the "
            + "28 rows of an image, then dense 10), or charlstm (train's character model on random text of 65 characters: training and "
            + "generated characters per second) (default: mlp).")
    String arch = "mlp";

    @Option(names = "--limit", paramLabel = "N", description = "Use the first N training and test images (default: all; 60,000 and 10,000).")
    Integer limit;

    @Option(names = "--steps", paramLabel = "N", description = "Allocation check instead of timing: after --warmup-steps, run N training "
            + "steps (batch 128) and print the bytes they allocated on the Java heap, on every thread (see --max-alloc-bytes).")
    Integer steps;

    @Option(names = "--warmup-steps", paramLabel = "N", description = "With --steps: training steps before counting; 0 counts the "
            + "plan's compilation too (default: 5).")
    int warmupSteps = 5;

    @Option(names = "--windows", paramLabel = "K", description = "With --steps: count K windows of N steps and keep the cleanest "
            + "(on the JVM the first ones include the JIT's warm-up; a buffer allocated every step shows in all) (default: 1).")
    int windows = 1;

    @Option(names = "--max-alloc-bytes", paramLabel = "B", description = "With --steps: exit with status 1 when the steps allocated "
            + "more than B bytes (a bound on allocation, not on time).")
    Long maxAllocBytes;

    @Option(names = "--train-images", paramLabel = "FILE", description = "IDX training images to use instead of MNIST (with --train-labels).")
    Path trainImages;

    @Option(names = "--train-labels", paramLabel = "FILE", description = "IDX training labels for --train-images.")
    Path trainLabels;

    @Override public Integer call() throws IOException {
        if (epochs < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--epochs must be at least 1, got " + epochs);
        DType type = switch (dtype.toLowerCase()) {
            case "f32" -> DType.F32;
            case "f64" -> DType.F64;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--dtype: use f32 or f64, got '" + dtype + "'");
        };
        if (!ARCHS.contains(arch)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--arch: use " + String.join(", ", ARCHS)
                    + ", got '" + arch + "'" + suggestion(arch));
        }
        if (limit != null && limit < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
        checkAllocationOptions();
        List<Integer> counts = threads != null ? threads : Runtime.getRuntime().availableProcessors() > 1
                ? List.of(1, Runtime.getRuntime().availableProcessors()) : List.of(1);
        PrintWriter out = spec.commandLine().getOut();
        if (arch.equals("charlstm")) return benchText(type, counts, out);
        ImageTensors[] data = data(type, out);
        if (limit != null && limit < data[0].size()) data[0] = first(data[0], limit);
        if (limit != null && limit < data[1].size()) data[1] = first(data[1], limit);
        Shape example = exampleShape();
        data[0] = data[0].shaped(example);
        data[1] = data[1].shaped(example);
        if (steps != null) return allocations(type, counts, data[0], out);
        Flops flops = Flops.of(layers(), type, data[1].inputs().shape().with(0, 1));
        out.printf(Locale.ROOT, "net: %s, %,d FLOPs per image forward, %,d per training image%n", arch, flops.forward(), flops.training());
        out.printf("%-8s %7s %10s %9s %12s %12s %12s%n", "backend", "threads", "epoch s", "GFLOP/s", "train img/s", "infer img/s", "latency µs");
        out.flush();
        for (String name : backends) {
            for (int t : counts) {
                double[] r;
                try (Backend backend = TrainCommand.createBackend(name, t, spec)) {
                    r = measure(backend, type, data[0], data[1]);
                }
                out.printf("%-8s %7d %10.3f %9.1f %12.0f %12.0f %12.1f%n", name, t, r[0], (double) flops.training() * data[0].size() / r[0] / 1e9,
                        data[0].size() / r[0], data[1].size() / r[1], r[2] * 1e6);
                out.flush();
            }
        }
        out.println("peak RSS: " + peakRss());
        out.flush();
        return Errors.OK;
    }

    /**
     * charlstm as {@code train --text} builds it (batch 64, sequences of 100) on random text of {@value #TEXT_VOCAB} characters
     * ({@code --limit} sequences, default {@value #TEXT_WINDOWS}): epoch seconds, GFLOP/s, training characters per second, and
     * {@code generate}'s characters per second (one step of the [1, 1] graph per character, best of 3 runs of {@value #GENERATED}).
     */
    private int benchText(DType type, List<Integer> counts, PrintWriter out) {
        int n = limit != null ? limit : TEXT_WINDOWS;
        SplittableRandom rng = new SplittableRandom(1);
        Tensor x = Tensor.zeros(type, Shape.of(n, TEXT_SEQ)), y = Tensor.zeros(type, Shape.of(n, TEXT_SEQ));
        for (int i = 0; i < x.size(); i++) {
            x.set(i, rng.nextInt(TEXT_VOCAB));
            y.set(i, rng.nextInt(TEXT_VOCAB));
        }
        Flops flops = Flops.of(Architectures.charlstm(TEXT_VOCAB, Architectures.CHARLSTM_HIDDEN).layers(), type, Shape.of(1, TEXT_SEQ));
        out.printf(Locale.ROOT, "net: charlstm, vocabulary %d, %,d FLOPs per character forward, %,d per training character%n", TEXT_VOCAB,
                flops.forward() / TEXT_SEQ, flops.training() / TEXT_SEQ);
        out.printf(Locale.ROOT, "data: random text, %,d sequences of %d characters%n", n, TEXT_SEQ);
        out.printf("%-8s %7s %10s %9s %12s %12s%n", "backend", "threads", "epoch s", "GFLOP/s", "train char/s", "gen char/s");
        out.flush();
        for (String name : backends) {
            for (int t : counts) {
                double epoch, generate;
                try (Backend backend = TrainCommand.createBackend(name, t, spec)) {
                    Architectures.Spec a = Architectures.charlstm(TEXT_VOCAB, Architectures.CHARLSTM_HIDDEN);
                    Model model = new Model(new Net(a.layers()), a.loss(), tinynn.runtime.optim.Optimizers.create(a.optimizer(), a.hyper()), backend, type, 31);
                    Outcome outcome = new Trainer(model, Architectures.CHARLSTM_BATCH).run(x, y, epochs + 1);
                    if (!(outcome instanceof Outcome.Completed)) throw new Failure("training ended with " + outcome);
                    epoch = Double.MAX_VALUE;
                    for (EpochMetrics m : model.history().subList(1, model.history().size())) epoch = Math.min(epoch, m.seconds());
                    generate = Double.MAX_VALUE;
                    Generator g = new Generator(model, "charlstm", TEXT_VOCAB);
                    for (int i = 0; i < 4; i++) {
                        long t0 = System.nanoTime();
                        g.generate(new int[] {0}, GENERATED, new Sampler(1, i), id -> {});
                        if (i > 0) generate = Math.min(generate, (System.nanoTime() - t0) / 1e9);
                    }
                }
                out.printf("%-8s %7d %10.3f %9.1f %12.0f %12.0f%n", name, t, epoch, (double) flops.training() * n / epoch / 1e9,
                        (double) n * TEXT_SEQ / epoch, GENERATED / generate);
                out.flush();
            }
        }
        out.println("peak RSS: " + peakRss());
        out.flush();
        return Errors.OK;
    }

    /**
     * {@code --steps}: one row per backend and thread count with the bytes the counted steps allocated (by the
     * calling thread and by the others, the pool's workers); then the verdict against {@code --max-alloc-bytes}.
     */
    private int allocations(DType type, List<Integer> counts, ImageTensors train, PrintWriter out) {
        AllocationCheck check = new AllocationCheck(steps, warmupSteps, windows, BATCH);
        out.printf(Locale.ROOT, "net: %s, allocation check: %d warm-up steps, then %s of %d training steps (batch %d)%n", arch, warmupSteps,
                windows == 1 ? "1 window" : "the cleanest of " + windows + " windows", steps, BATCH);
        out.printf("%-8s %7s %14s %14s %14s %12s%n", "backend", "threads", "bytes", "caller", "other threads", "bytes/step");
        out.flush();
        List<String> over = new java.util.ArrayList<>();
        for (String name : backends) {
            for (int t : counts) {
                AllocationCheck.Result r;
                try (Backend backend = TrainCommand.createBackend(name, t, spec)) {
                    r = check.run(new Model(new Net(layers()), Losses.softmaxCrossEntropy(), new Adam(1e-3), backend, type, 31), train);
                }
                AllocationMeter.Bytes b = r.bytes();
                out.printf(Locale.ROOT, "%-8s %7d %,14d %,14d %,14d %,12.1f%n", name, t, b.total(), b.caller(), b.others(), (double) b.total() / steps);
                out.flush();
                if (maxAllocBytes != null && b.total() > maxAllocBytes) over.add(String.format(Locale.ROOT, "%s at %d thread%s %,d", name, t, t == 1 ? "" : "s", b.total()));
            }
        }
        if (maxAllocBytes == null) return Errors.OK;
        if (!over.isEmpty()) {
            throw new Failure(String.format(Locale.ROOT, "%d training steps of %s allocated more than --max-alloc-bytes %,d: %s bytes", steps, arch,
                    maxAllocBytes, String.join(", ", over)));
        }
        out.printf(Locale.ROOT, "allocation within --max-alloc-bytes %,d%n", maxAllocBytes);
        out.flush();
        return Errors.OK;
    }

    /** The options of {@code --steps} make sense only together. */
    private void checkAllocationOptions() {
        if (steps == null) {
            for (var o : List.of("--warmup-steps", "--windows", "--max-alloc-bytes")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) throw usage(o + " goes with --steps N (the allocation check)");
            }
        } else {
            if (steps < 1) throw usage("--steps must be at least 1, got " + steps);
            if (warmupSteps < 0) throw usage("--warmup-steps must be at least 0, got " + warmupSteps);
            if (windows < 1) throw usage("--windows must be at least 1, got " + windows);
            if (maxAllocBytes != null && maxAllocBytes < 0) throw usage("--max-alloc-bytes must be at least 0, got " + maxAllocBytes);
            if (arch.equals("charlstm")) throw usage("--steps checks the image nets (mlp, lenet5, lstm), not charlstm");
        }
        if ((trainImages == null) != (trainLabels == null)) throw usage("--train-images and --train-labels go together");
        if (trainImages != null && synthetic) throw usage("--train-images and --synthetic are alternatives");
    }

    private picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Best epoch seconds, best test-set inference seconds, median single-image seconds. */
    private double[] measure(Backend backend, DType type, ImageTensors train, ImageTensors test) {
        Net net = new Net(layers());
        Model model = new Model(net, Losses.softmaxCrossEntropy(), new Adam(1e-3), backend, type, 31);
        // The loop tinynn train runs, without a test set: an epoch's seconds are its training alone.
        Outcome outcome = new Trainer(model, BATCH).run(train.inputs(), train.targets(), epochs + 1);
        if (!(outcome instanceof Outcome.Completed)) throw new Failure("training ended with " + outcome);
        double bestEpoch = Double.MAX_VALUE;
        for (EpochMetrics m : model.history().subList(1, model.history().size())) bestEpoch = Math.min(bestEpoch, m.seconds());
        double bestInfer = Double.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            long t0 = System.nanoTime();
            model.predict(test.inputs());
            if (i > 0) bestInfer = Math.min(bestInfer, (System.nanoTime() - t0) / 1e9);
        }
        Tensor one = Tensor.zeros(type, test.inputs().shape().with(0, 1));
        one.copyFrom(rowOf(test.inputs(), 0));
        long[] lat = new long[1000];
        for (int i = 0; i < 2000; i++) model.predict(one);
        for (int i = 0; i < lat.length; i++) {
            long t0 = System.nanoTime();
            model.predict(one);
            lat[i] = System.nanoTime() - t0;
        }
        Arrays.sort(lat);
        return new double[] {bestEpoch, bestInfer, lat[lat.length / 2] / 1e9};
    }

    /** The MNIST training pixels' mean and std (value / 255), which train's standardize layer computes from the data. */
    static final double MNIST_MEAN = 0.1306604762738429, MNIST_STD = 0.30810780385646264;

    /** The timed network: the article's MLP, or LeNet-5 as {@code train --arch lenet5} builds it for 10 classes. */
    private List<tinynn.ops.nn.Layer> layers() {
        if (arch.equals("lenet5")) return Architectures.lenet5(10).layers();
        if (arch.equals("lstm")) return Architectures.adapt(Architectures.lstm(10), MNIST_MEAN, MNIST_STD).layers();
        return List.of(new Dense(784, 400), Activation.relu(), new Dense(400, 100), Activation.relu(), new Dense(100, 10));
    }

    /**
     * One image as the network takes it: [1, 28, 28] (NCHW without the batch) when its first layer is spatial,
     * [28, 28] (28 steps of a row) when it is recurrent, else [784].
     */
    private Shape exampleShape() {
        return switch (tinynn.ops.nn.Layers.inputRank(layers())) {
            case 4 -> Shape.of(1, 28, 28);
            case 3 -> Shape.of(28, 28);
            default -> Shape.of(784);
        };
    }

    private static String suggestion(String typed) {
        String near = Suggestions.nearest(typed, ARCHS);
        return near != null ? "; did you mean '" + near + "'?" : "";
    }

    /** The first n examples, copied. */
    private static ImageTensors first(ImageTensors t, int n) {
        int f = (int) (t.inputs().size() / t.size()), k = (int) (t.targets().size() / t.size());
        Tensor x = Tensor.zeros(t.inputs().dtype(), Shape.of(n, f)), y = Tensor.zeros(t.targets().dtype(), Shape.of(n, k));
        for (int i = 0; i < n * f; i++) x.set(i, t.inputs().get(i));
        for (int i = 0; i < n * k; i++) y.set(i, t.targets().get(i));
        return new ImageTensors(x, y, Arrays.copyOf(t.labels(), n));
    }

    private static Tensor rowOf(Tensor x, int row) {
        int f = (int) (x.size() / x.shape().dim(0));
        Tensor r = Tensor.zeros(x.dtype(), x.shape().with(0, 1));
        for (int i = 0; i < f; i++) r.set(i, x.get(row * f + i));
        return r;
    }

    private ImageTensors[] data(DType type, PrintWriter out) throws IOException {
        if (trainImages != null) {
            // Training and inference both run on the given images.
            out.println("data: " + trainImages);
            ImageTensors t = ImageTensors.of(Datasets.idx(trainImages, trainLabels, 10), type);
            return new ImageTensors[] {t, t};
        }
        if (!synthetic) {
            DatasetFetcher fetcher = new DatasetFetcher(msg -> {});
            Path dir = fetcher.cacheDir(DatasetSpec.MNIST, dataDir);
            if (fetcher.isComplete(DatasetSpec.MNIST, dir)) {
                out.println("data: MNIST from " + dir);
                return new ImageTensors[] {ImageTensors.of(DatasetSpec.MNIST.train(dir), type), ImageTensors.of(DatasetSpec.MNIST.test(dir), type)};
            }
            out.println("data: MNIST not cached ('tinynn data mnist' fetches it); using random data of the same shape");
        } else {
            out.println("data: random, MNIST-shaped");
        }
        return new ImageTensors[] {random(60000, type, 1), random(10000, type, 2)};
    }

    private static ImageTensors random(int n, DType type, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(type, Shape.of(n, 784)), y = Tensor.zeros(type, Shape.of(n, 10));
        int[] labels = new int[n];
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble());
        for (int r = 0; r < n; r++) y.set(r * 10 + (labels[r] = rng.nextInt(10)), 1);
        return new ImageTensors(x, y, labels);
    }

    /** VmHWM from /proc (Linux); "unknown" elsewhere. */
    static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return line.substring(6).trim();
            }
        } catch (IOException | RuntimeException ignored) {
            // Not Linux: nothing to report.
        }
        return "unknown";
    }

}
