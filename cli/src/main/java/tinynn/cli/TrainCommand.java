package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tinynn.data.DataException;
import tinynn.data.ImageDataset;
import tinynn.graph.DType;
import tinynn.graph.GraphException;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Layer;
import tinynn.runtime.Backend;
import tinynn.runtime.Backends;
import tinynn.runtime.model.Batch;
import tinynn.runtime.model.BatchIterator;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.ImageTensors;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Optimizer;
import tinynn.runtime.optim.Optimizers;

@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = {
                "Trains a classifier on images and saves it as a model file.",
                "Data: a built-in set (--data mnist|fashion-mnist, fetched into the cache on first use), an IDX "
                        + "pair (--train-images/--train-labels, optional --test-images/--test-labels) or CSV "
                        + "files of 'label,p0,p1,...' rows of 0-255 pixels (--train-csv, --test-csv). Inputs are pixels/255.",
                "Network: --arch mlp (dense layers of --hidden sizes with --activation between them, softmax "
                        + "cross-entropy loss), or --arch FILE, a model spec: a tinynn.v1.Model in protobuf text "
                        + "format whose 'layers' (and optionally 'training.optimizer', 'metadata') are used.",
                "Each epoch prints one line (train loss, test loss, test accuracy, seconds) and saves the model. "
                        + "Ctrl-C saves a checkpoint and exits; --resume continues it where it stopped, with the "
                        + "run's data and --epochs. A diverging loss (NaN, or an epoch's mean above 10 times the "
                        + "initial loss) stops training with exit status 1; the model file keeps its last good epoch."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  tinynn train --data mnist --hidden 400,100 --epochs 20 --out mnist.tnn",
                "  tinynn train --data fashion-mnist --optimizer sgd --lr 0.05 \\",
                "               --momentum 0.9 --out fashion.tnn",
                "  tinynn train --train-images train-img.idx --train-labels train-lbl.idx \\",
                "               --test-images test-img.idx --test-labels test-lbl.idx --epochs 3",
                "  tinynn train --train-csv train.csv --test-csv test.csv --image-shape 8x8",
                "  tinynn train --data mnist --arch net.txtpb",
                "  tinynn train --resume mnist.tnn",
                "  tinynn train --resume mnist.tnn --epochs 30"
        })
public final class TrainCommand implements Callable<Integer> {

    private static final String NO_DATA = "no training data; pass --data mnist|fashion-mnist, --train-images/--train-labels or --train-csv";

    @Spec CommandSpec spec;

    /** Tests only: called on the training thread after each step, e.g. to simulate Ctrl-C. */
    static volatile java.util.function.ObjIntConsumer<Checkpointer> afterStep;

    @Option(names = "--data", paramLabel = "NAME", description = "Built-in data set: mnist or fashion-mnist.")
    String data;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where built-in data sets are cached (default: $TINYNN_DATA or ~/.cache/tinynn/NAME).")
    Path dataDir;

    @Option(names = "--train-images", paramLabel = "FILE", description = "IDX images of the training set.")
    Path trainImages;

    @Option(names = "--train-labels", paramLabel = "FILE", description = "IDX labels of the training set.")
    Path trainLabels;

    @Option(names = "--test-images", paramLabel = "FILE", description = "IDX images of the test set.")
    Path testImages;

    @Option(names = "--test-labels", paramLabel = "FILE", description = "IDX labels of the test set.")
    Path testLabels;

    @Option(names = "--train-csv", paramLabel = "FILE", description = "CSV training rows: label,p0,p1,... (pixels 0-255).")
    Path trainCsv;

    @Option(names = "--test-csv", paramLabel = "FILE", description = "CSV test rows, as --train-csv.")
    Path testCsv;

    @Option(names = "--image-shape", paramLabel = "ROWSxCOLS", description = "Image shape of CSV rows (default: square).")
    String imageShape;

    @Option(names = "--classes", paramLabel = "N", description = "Number of classes of IDX/CSV data (default: largest label + 1).")
    Integer classes;

    @Option(names = "--class-labels", paramLabel = "A,B,...", split = ",", description = "Class names, saved in the model for predict.")
    List<String> classLabels;

    @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training examples only.")
    Integer limit;

    @Option(names = "--arch", paramLabel = "mlp|FILE", defaultValue = "mlp", description = "Network: mlp, or a model spec file in protobuf text format (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--hidden", paramLabel = "N,N,...", split = ",", description = "Hidden layer sizes of the mlp (default: 400,100).")
    List<Integer> hidden;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu", description = "relu, sigmoid, tanh, softplus or leaky_relu (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "20", description = "Train until this many epochs are done, counting resumed ones (default: ${DEFAULT-VALUE}, or the resumed run's).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Mini-batch size (default: 128, or the resumed run's).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: 0.001 for adam, 0.01 for sgd).")
    Double lr;

    @Option(names = "--optimizer", paramLabel = "adam|sgd", description = "Optimizer (default: adam).")
    String optimizer;

    @Option(names = "--weight-decay", paramLabel = "W", description = "Weight decay (default: 0).")
    Double weightDecay;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default: 0).")
    Double momentum;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of initial weights and shuffling (default: 31, or the resumed run's).")
    Long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--dtype", paramLabel = "f32|f64", defaultValue = "f32", description = "Element type (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--backend", paramLabel = "NAME", description = "Compute backend: simd or ojalgo (default: simd where the Vector API is available).")
    String backend;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Model file to write (default: model.tnn, or the --resume file).")
    Path out;

    @Option(names = "--weights-out", paramLabel = "FILE", description = "Also write the model without optimizer state and history "
            + "after each epoch: a third of the size, loads faster (for predict/eval; cannot be resumed).")
    Path weightsOut;

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue training a saved model with its optimizer state, and its data source, "
            + "--epochs, --classes and --limit unless given again.")
    Path resume;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", description = "auto (a bar on a terminal, lines otherwise), bar, lines or none (default: ${DEFAULT-VALUE}).")
    Progress.Mode progressMode;

    private PrintWriter out() { return spec.commandLine().getOut(); }
    private PrintWriter err() { return spec.commandLine().getErr(); }

    private ParameterException usage(String msg) { return new ParameterException(spec.commandLine(), msg); }

    private boolean given(String option) { return spec.commandLine().getParseResult().hasMatchedOption(option); }

    @Override public Integer call() throws IOException {
        validate();
        if (resume == null) validateSource();
        Path target = out != null ? out : resume != null ? resume : Path.of("model.tnn");
        checkWritable(target, "--out");
        if (weightsOut != null) {
            checkWritable(weightsOut, "--weights-out");
            if (weightsOut.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
                throw usage("--weights-out must differ from the checkpoint file " + target);
            }
        }
        DType dt = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f32" -> DType.F32;
            case "f64" -> DType.F64;
            default -> throw usage("--dtype: '" + dtype + "' is not f32 or f64");
        };
        int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Backend be = createBackend(backend, nThreads, spec);

        Model model = null;
        if (resume != null) {
            for (String o : List.of("--arch", "--hidden", "--activation", "--dtype", "--seed")) {
                if (given(o)) throw usage(o + " cannot change when resuming; the architecture, dtype and seed come from " + resume);
            }
            model = ModelInfo.load(resume, be);
            reuseRecordedRun(model.metadata());
            validateSource();
        }
        try (OutputLock lock = OutputLock.acquire(target, "--out");
             OutputLock weightsLock = weightsOut != null ? OutputLock.acquire(weightsOut, "--weights-out") : null) {
            return train(model, be, dt, target);
        }
    }

    private Integer train(Model model, Backend be, DType dt, Path target) throws IOException {
        Data d = loadData(model);
        ImageDataset train = d.train;
        if (limit != null) train = train.slice(0, Math.min(limit, train.count()));
        int features = train.features();
        int numClasses = d.classLabels.size();

        String archName;
        Map<String, String> specMetadata = Map.of();
        if (model == null) {
            Architectures.Spec a = buildArch(features, numClasses);
            archName = a.name();
            specMetadata = a.metadata();
            long s = seed != null ? seed : 31;
            Optimizer opt = createOptimizer(a);
            try {
                model = new Model(new Net(a.layers()), Losses.softmaxCrossEntropy(), opt, be, dt, s);
                model.build(Shape.of(1, features));
            } catch (GraphException | IllegalArgumentException e) {
                throw new Failure((arch.equals("mlp") ? "--arch mlp" : arch) + ": " + e.getMessage());
            }
        } else {
            archName = "resumed " + resume.getFileName();
            int in = ModelInfo.inputFeatures(model, resume.toString());
            if (in != features) {
                throw new Failure(d.source + ": examples have " + features + " features but " + resume + " was trained on " + in);
            }
            if (lr != null) model.optimizer().lr(lr);
            if (given("--optimizer") || given("--momentum") || given("--weight-decay")) {
                throw usage("--optimizer, --momentum and --weight-decay cannot change when resuming (the optimizer state comes from " + resume + "); --lr can");
            }
        }
        int outputs = ModelInfo.outputs(model, features);
        if (outputs < numClasses) {
            throw new Failure(d.source + ": the data has " + numClasses + " classes but the network has " + outputs + " outputs");
        }

        Map<String, String> meta = model.metadata();
        long runSeed = resume != null ? parseLong(meta.get(ModelInfo.TRAIN_SEED), model.parameters().seed()) : (seed != null ? seed : 31);
        int batch = batchSize != null ? batchSize : (int) parseLong(meta.get(ModelInfo.TRAIN_BATCH_SIZE), 128);
        if (batch < 1) throw usage("--batch-size must be at least 1, got " + batch);
        int resumeStep = resume != null ? (int) parseLong(meta.get(ModelInfo.TRAIN_EPOCH_STEP), 0) : 0;
        if (resume != null && batchSize != null && batchSize != parseLong(meta.get(ModelInfo.TRAIN_BATCH_SIZE), batchSize)) {
            resumeStep = 0; // a new batch size cannot continue a half-done epoch's batch order
        }
        if (model.epoch() >= epochs) {
            throw usage((given("--epochs") ? "--epochs " + epochs + ": " : "") + (resume != null ? resume : target) + " has already trained "
                    + model.epoch() + " epochs" + (given("--epochs") ? "" : ", the run's --epochs") + "; pass a larger --epochs to continue");
        }

        meta.putAll(specMetadata);
        meta.put(ModelInfo.DATASET, d.name);
        meta.put(ModelInfo.CLASS_LABELS, String.join(",", d.classLabels));
        meta.put(ModelInfo.INPUT_SHAPE, "-1," + features);
        meta.put(ModelInfo.IMAGE_SHAPE, train.rows() + "," + train.cols());
        meta.put(ModelInfo.NORMALIZATION, "scale=" + ModelInfo.PIXEL_SCALE);
        meta.put(ModelInfo.TRAIN_BATCH_SIZE, Integer.toString(batch));
        meta.put(ModelInfo.TRAIN_SEED, Long.toString(runSeed));
        meta.put(TrainingRun.EPOCHS, Integer.toString(epochs));
        recordSource(meta);
        double[] epochLoss = {0, 0};
        if (resumeStep > 0) {
            // The interrupted epoch's loss so far, so that the resumed epoch reports the whole epoch's mean.
            epochLoss[0] = parseDouble(meta.get(TrainingRun.EPOCH_LOSS_SUM), 0);
            epochLoss[1] = parseLong(meta.get(TrainingRun.EPOCH_LOSS_STEPS), 0);
            if (!(epochLoss[1] > 0 && epochLoss[1] <= resumeStep)) epochLoss = new double[] {0, 0};
        }

        PrintWriter o = out();
        o.printf(Locale.ROOT, "%s: %s, %,d parameters (%s), %s lr %s, batch %d, %s%n",
                d.name, archName, model.parameters().count(), model.dtype().name().toLowerCase(Locale.ROOT),
                model.optimizer().type(), fmt(model.optimizer().lr()), batch, be.describe());
        o.printf(Locale.ROOT, "data: %,d training examples%s%n", train.count(),
                d.test != null ? String.format(Locale.ROOT, ", %,d test examples", d.test.count()) : " (no test set)");
        o.flush();

        return loop(model, train, d.test, batch, runSeed, resumeStep, epochLoss, target);
    }

    private int loop(Model model, ImageDataset train, ImageDataset test, int batch, long runSeed, int resumeStep,
                     double[] resumedLoss, Path target) throws IOException {
        ImageTensors t = ImageTensors.of(train, model.dtype());
        BatchIterator it = new BatchIterator(batch, true, runSeed);
        it.pass(model.epoch());
        int steps = (train.count() + batch - 1) / batch;
        int outputs = ModelInfo.outputs(model, train.features());
        Progress progress = new Progress(err(), progressMode);
        Checkpointer cp = new Checkpointer(target, err());
        PrintWriter o = out();
        cp.install();
        try {
            synchronized (cp.lock) {
                cp.progress(model, resumeStep, resumedLoss[0], (int) resumedLoss[1]);
            }
            int skip = resumeStep;
            boolean savedThisRun = false;
            while (model.epoch() < epochs) {
                int epoch = model.epoch();
                long t0 = System.nanoTime();
                progress.startEpoch(epoch, epochs, steps, batch);
                double lossSum = skip > 0 ? resumedLoss[0] : 0;
                int lossSteps = skip > 0 ? (int) resumedLoss[1] : 0;
                int step = 0, done = 0;
                for (Batch b : it.over(t.inputs(), t.targets())) {
                    if (step < skip) { step++; continue; }
                    if (cp.stopRequested()) return interrupted(cp, progress);
                    double loss;
                    synchronized (cp.lock) {
                        loss = model.trainStep(b.inputs(), b.targets());
                        if (model.epoch() == 0 && step == 0 && Double.isFinite(loss)) {
                            model.metadata().put(TrainingRun.INITIAL_LOSS, Double.toString(loss));
                        }
                        step++;
                        if (Double.isFinite(loss)) {
                            lossSum += loss;
                            lossSteps++;
                            cp.progress(model, step, lossSum, lossSteps);
                        } else {
                            cp.finished(); // the weights are ruined: never save them
                        }
                    }
                    if (!Double.isFinite(loss)) {
                        progress.endEpoch();
                        throw new Failure("the loss became " + loss + " at epoch " + (epoch + 1) + " step " + step
                                + "; " + kept(target, model, savedThisRun) + "; lower --lr (now " + fmt(model.optimizer().lr()) + ")");
                    }
                    done++;
                    progress.step(step, done, lossSum / lossSteps);
                    if (afterStep != null) afterStep.accept(cp, step);
                }
                skip = 0;
                if (cp.stopRequested()) return interrupted(cp, progress);
                double trainLoss = lossSteps == 0 ? Double.NaN : lossSum / lossSteps;
                double reference = TrainingRun.referenceLoss(model);
                if (lossSteps > 0 && TrainingRun.diverged(trainLoss, reference)) {
                    progress.endEpoch();
                    synchronized (cp.lock) {
                        cp.finished();
                    }
                    throw new Failure(String.format(Locale.ROOT, "the loss diverged in epoch %d: train loss %.4g is more than %.0f times the "
                            + "initial loss %.4f; %s; lower --lr (now %s)", epoch + 1, trainLoss, TrainingRun.DIVERGENCE_FACTOR,
                            reference, kept(target, model, savedThisRun), fmt(model.optimizer().lr())));
                }
                Evaluation ev = test != null ? Evaluation.run(model, test, outputs, cp.lock) : null;
                double secs = (System.nanoTime() - t0) / 1e9;
                progress.endEpoch();
                boolean stopped;
                synchronized (cp.lock) {
                    // Never wait for the hook while holding the lock it needs.
                    stopped = cp.stopRequested();
                    if (!stopped) {
                        model.endEpoch(new EpochMetrics(epoch, trainLoss, ev != null ? ev.loss() : Double.NaN,
                                ev != null ? ev.accuracy() : Double.NaN, secs));
                        model.metadata().remove(ModelInfo.TRAIN_EPOCH_STEP);
                        model.metadata().remove(TrainingRun.EPOCH_LOSS_SUM);
                        model.metadata().remove(TrainingRun.EPOCH_LOSS_STEPS);
                        cp.progress(model, 0, 0, 0);
                        model.save(target);
                        savedThisRun = true;
                        if (weightsOut != null) model.saveWeights(weightsOut);
                        if (model.epoch() >= epochs) cp.finished();
                    }
                }
                if (stopped) return interrupted(cp, progress);
                o.printf(Locale.ROOT, "epoch %d/%d  train loss %s  test loss %s  test acc %s  %.1f s%n",
                        epoch + 1, epochs, Double.isNaN(trainLoss) ? "-" : String.format(Locale.ROOT, "%.4f", trainLoss), ev != null ? String.format(Locale.ROOT, "%.4f", ev.loss()) : "-",
                        ev != null ? String.format(Locale.ROOT, "%.4f", ev.accuracy()) : "-", secs);
                o.flush();
            }
            o.println("saved " + target + (weightsOut != null ? " and " + weightsOut + " (weights only)" : ""));
            o.flush();
            return Errors.OK;
        } finally {
            synchronized (cp.lock) {
                cp.finished();
            }
            cp.uninstall();
        }
    }

    private int interrupted(Checkpointer cp, Progress progress) {
        progress.endEpoch();
        String msg = cp.outcome();
        err().println("tinynn train: " + (msg != null ? msg : "interrupted"));
        err().flush();
        cp.reported();
        return cp.exitCode();
    }

    /** What the model file holds after a failed epoch: the last good state is never overwritten. */
    private String kept(Path target, Model model, boolean savedThisRun) {
        if (savedThisRun || resume != null && target.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
            return target + " keeps the last good state (" + model.epoch() + (model.epoch() == 1 ? " epoch" : " epochs") + " done)";
        }
        return target + " was not written";
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%s", (float) v);
    }

    private void validate() {
        if (epochs < 1) throw usage("--epochs must be at least 1, got " + epochs);
        if (threads != null && threads < 1) throw usage("--threads must be at least 1, got " + threads);
        if (lr != null && !(lr > 0)) throw usage("--lr must be positive, got " + lr);
        if (limit != null && limit < 1) throw usage("--limit must be at least 1, got " + limit);
        if (classes != null && (classes < 2 || classes > 256)) throw usage("--classes must be 2..256, got " + classes);
        if (optimizer != null && !optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw usage("--optimizer: unknown optimizer '" + optimizer + "'; use adam or sgd");
        }
        if (momentum != null && "adam".equals(optimizer)) throw usage("--momentum applies to --optimizer sgd only");
        if (!arch.equals("mlp") && (hidden != null || given("--activation"))) {
            throw usage("--hidden and --activation apply to --arch mlp only; " + arch + " defines its own layers");
        }
    }

    /** The data options; for --resume, once the recorded ones have filled in those not given. */
    private void validateSource() {
        int sources = (data != null ? 1 : 0) + (trainImages != null || trainLabels != null ? 1 : 0) + (trainCsv != null ? 1 : 0);
        if (sources > 1) throw usage("choose one training data source: --data, --train-images/--train-labels or --train-csv");
        if ((trainImages == null) != (trainLabels == null)) throw usage("--train-images and --train-labels go together");
        if ((testImages == null) != (testLabels == null)) throw usage("--test-images and --test-labels go together");
        if (testImages != null && trainImages == null) throw usage("--test-images needs --train-images/--train-labels");
        if (testCsv != null && trainCsv == null) throw usage("--test-csv needs --train-csv");
        if (imageShape != null && trainCsv == null) throw usage("--image-shape applies to --train-csv data only");
        if (sources == 0 && resume == null) throw usage(NO_DATA);
        if (data != null) {
            try {
                tinynn.data.DatasetSpec.named(data);
            } catch (DataException e) {
                throw usage("--data: " + e.getMessage());
            }
        }
    }

    /**
     * --resume: the run's --epochs, data source, --classes and --limit as recorded, for each not given
     * again. A new training source (--data, --train-images or --train-csv) replaces the whole recorded one.
     */
    private void reuseRecordedRun(Map<String, String> meta) {
        if (!given("--epochs")) epochs = (int) parseLong(meta.get(TrainingRun.EPOCHS), epochs);
        if (classes == null && meta.containsKey(TrainingRun.CLASSES)) classes = (int) parseLong(meta.get(TrainingRun.CLASSES), 0);
        if (limit == null && meta.containsKey(TrainingRun.LIMIT)) limit = (int) parseLong(meta.get(TrainingRun.LIMIT), 0);
        if (data != null || trainImages != null || trainLabels != null || trainCsv != null) return;
        String builtIn = meta.get(TrainingRun.DATA);
        if (builtIn != null && !builtIn.isBlank()) {
            data = builtIn;
            if (dataDir == null) dataDir = TrainingRun.recordedPath(meta, TrainingRun.DATA_DIR, resume, "--data-dir");
            return;
        }
        trainImages = TrainingRun.recordedPath(meta, TrainingRun.TRAIN_IMAGES, resume, "--train-images");
        trainLabels = TrainingRun.recordedPath(meta, TrainingRun.TRAIN_LABELS, resume, "--train-labels");
        trainCsv = TrainingRun.recordedPath(meta, TrainingRun.TRAIN_CSV, resume, "--train-csv");
        if (testImages == null && testLabels == null && testCsv == null) {
            testImages = TrainingRun.recordedPath(meta, TrainingRun.TEST_IMAGES, resume, "--test-images");
            testLabels = TrainingRun.recordedPath(meta, TrainingRun.TEST_LABELS, resume, "--test-labels");
            testCsv = TrainingRun.recordedPath(meta, TrainingRun.TEST_CSV, resume, "--test-csv");
        }
        if (imageShape == null && trainCsv != null) imageShape = meta.get(TrainingRun.CSV_IMAGE_SHAPE);
    }

    /** The data source of this run, for a later --resume. */
    private void recordSource(Map<String, String> meta) {
        TrainingRun.SOURCE_KEYS.forEach(meta::remove);
        if (data != null) {
            meta.put(TrainingRun.DATA, data);
            if (dataDir != null) meta.put(TrainingRun.DATA_DIR, TrainingRun.absolute(dataDir));
        }
        if (trainImages != null) {
            meta.put(TrainingRun.TRAIN_IMAGES, TrainingRun.absolute(trainImages));
            meta.put(TrainingRun.TRAIN_LABELS, TrainingRun.absolute(trainLabels));
        }
        if (testImages != null) {
            meta.put(TrainingRun.TEST_IMAGES, TrainingRun.absolute(testImages));
            meta.put(TrainingRun.TEST_LABELS, TrainingRun.absolute(testLabels));
        }
        if (trainCsv != null) meta.put(TrainingRun.TRAIN_CSV, TrainingRun.absolute(trainCsv));
        if (testCsv != null) meta.put(TrainingRun.TEST_CSV, TrainingRun.absolute(testCsv));
        if (imageShape != null) meta.put(TrainingRun.CSV_IMAGE_SHAPE, imageShape);
        if (classes != null) meta.put(TrainingRun.CLASSES, Integer.toString(classes));
        if (limit != null) meta.put(TrainingRun.LIMIT, Integer.toString(limit));
    }

    static Backend createBackend(String name, int threads, CommandSpec spec) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads > cores) {
            // Allowed (a shared machine may report fewer cores than it has), but more threads than cores only contend.
            PrintWriter err = spec.commandLine().getErr();
            err.println(Errors.prefix(spec.commandLine()) + "warning: --threads " + threads + " is more than the " + cores
                    + " cores available; that makes it slower, not faster (use at most " + cores + ")");
            err.flush();
        }
        try {
            return Backends.createAndSetOjalgoThreads(name != null ? name : Backends.DEFAULT, threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--backend: " + e.getMessage());
        }
    }

    /**
     * Fails before any training if {@code target} cannot be written: saves write a temporary file
     * beside it and rename it over the target, so the directory must take a new file, and an
     * existing target must be writable (a read-only model is not silently replaced).
     */
    private static void checkWritable(Path target, String option) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new Failure(target + ": the directory " + dir + " does not exist");
        if (Files.isDirectory(target)) throw new Failure(target + ": is a directory; " + option + " needs a file name such as model.tnn");
        if (Files.exists(target) && !Files.isWritable(target)) {
            throw new Failure(target + ": the file is read-only; make it writable or choose another " + option);
        }
        String why;
        try {
            Files.delete(Files.createTempFile(dir, ".tinynn-probe-", ".tmp"));
            return;
        } catch (AccessDeniedException e) {
            why = " (permission denied)";
        } catch (FileSystemException e) {
            why = e.getReason() != null ? " (" + e.getReason() + ")" : "";
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            why = " (" + Errors.describe(e) + ")";
        }
        throw new Failure(target + ": cannot create files in " + dir + why + "; choose another " + option);
    }

    private record Data(String name, String source, ImageDataset train, ImageDataset test, List<String> classLabels) {}

    private Data loadData(Model resumed) throws IOException {
        String name;
        String source;
        ImageDataset tr, te = null;
        String builtIn = data;
        if (builtIn == null && trainImages == null && trainCsv == null) {
            String recorded = resumed != null ? resumed.metadata().get(ModelInfo.DATASET) : null;
            if (recorded != null && (recorded.equals("mnist") || recorded.equals("fashion-mnist"))) builtIn = recorded;
            else throw usage(NO_DATA);
        }
        if (builtIn != null) {
            try {
                tinynn.data.DatasetSpec.named(builtIn);
            } catch (DataException e) {
                throw usage("--data: " + e.getMessage());
            }
            Path dir = Datasets.fetch(builtIn, dataDir, err());
            var dsSpec = tinynn.data.DatasetSpec.named(builtIn);
            tr = dsSpec.train(dir);
            te = dsSpec.test(dir);
            name = builtIn;
            source = dir.toString();
        } else if (trainImages != null) {
            tr = Datasets.idx(trainImages, trainLabels, classes);
            if (testImages != null) te = Datasets.idx(testImages, testLabels, tr.numClasses());
            name = trainImages.getFileName().toString();
            source = trainImages.toString();
        } else {
            int[] shape = imageShape != null ? parseShapeOption() : null;
            tr = Datasets.csv(trainCsv, shape, classes);
            if (testCsv != null) te = Datasets.csv(testCsv, new int[] {tr.rows(), tr.cols()}, tr.numClasses());
            name = trainCsv.getFileName().toString();
            source = trainCsv.toString();
        }
        if (te != null && te.features() != tr.features()) {
            throw new Failure(source + ": training images are " + tr.rows() + "x" + tr.cols() + " but test images are " + te.rows() + "x" + te.cols());
        }
        int k = tr.numClasses();
        List<String> labels;
        if (classLabels != null) {
            if (classLabels.size() < k) throw usage("--class-labels: " + classLabels.size() + " names for " + k + " classes");
            labels = new ArrayList<>(classLabels);
        } else if (resumed != null && resumed.metadata().containsKey(ModelInfo.CLASS_LABELS)) {
            labels = ModelInfo.classLabels(resumed, k);
        } else {
            labels = Datasets.labelsOf(name, k);
        }
        if (te != null && te.numClasses() != labels.size()) {
            te = new ImageDataset(te.count(), te.rows(), te.cols(), te.pixels(), te.labels(), Math.max(te.numClasses(), labels.size()));
        }
        return new Data(name, source, tr, te, labels);
    }

    private int[] parseShapeOption() {
        try {
            return Datasets.parseShape(imageShape, "--image-shape");
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private Architectures.Spec buildArch(int features, int numClasses) throws IOException {
        if (arch.equals("mlp")) {
            List<Integer> h = hidden != null ? hidden : List.of(400, 100);
            try {
                Architectures.activation(activation);
                for (int x : h) if (x < 1) throw new IllegalArgumentException("--hidden: layer sizes must be positive, got " + x);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            return Architectures.mlp(features, h, activation, numClasses);
        }
        Path file = Path.of(arch);
        Architectures.Spec s = Architectures.fromFile(file);
        Layer first = s.layers().getFirst();
        if (first == null) throw new Failure(file + ": the spec has no layers");
        return s;
    }

    private Optimizer createOptimizer(Architectures.Spec a) {
        String type = optimizer != null ? optimizer : a.optimizer() != null ? a.optimizer() : "adam";
        Map<String, Double> h = new LinkedHashMap<>(a.hyper());
        if (!h.containsKey("lr")) h.put("lr", type.equals("sgd") ? 0.01 : 0.001);
        if (lr != null) h.put("lr", lr);
        if (weightDecay != null) h.put("weight_decay", weightDecay);
        if (momentum != null) h.put("momentum", momentum);
        try {
            return Optimizers.create(type, h);
        } catch (IllegalArgumentException e) {
            throw new Failure(arch + ": " + e.getMessage());
        }
    }

    private static double parseDouble(String s, double dflt) {
        if (s == null) return dflt;
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static long parseLong(String s, long dflt) {
        if (s == null) return dflt;
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
