package tinynn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tinynn.data.DataException;
import tinynn.data.DatasetSpec;
import tinynn.graph.DType;
import tinynn.runtime.model.TrainingControl;
import tinynn.runtime.model.TrainingRun;
import tinynn.runtime.optim.Optimizers;

/**
 * The options of {@code tinynn train}, their checks, and the run record they make: what a model
 * file keeps of them ({@link TrainingRun}) and, for {@code --resume}, fills back in.
 */
final class TrainOptions {
    static final long DEFAULT_SEED = 31;
    static final String NO_DATA = "no training data; pass --data mnist|fashion-mnist|cifar10, --train-images/--train-labels, --train-csv, --train-dir or --text";
    /** The validation fraction of a --text run when --val-split is not given: a language model's loss is only meaningful on text it has not seen. */
    static final double TEXT_VAL_SPLIT = 0.1;
    static final int DEFAULT_SEQ_LEN = 100;

    @Spec(Spec.Target.MIXEE) CommandSpec spec;

    @Option(names = "--data", paramLabel = "NAME", description = "Built-in data set: mnist, fashion-mnist or cifar10 (3x32x32 colour images).")
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

    @Option(names = "--image-shape", paramLabel = "ROWSxCOLS", description = "Image shape of CSV rows (default: square), or what --train-dir "
            + "images are resized to (default: the first image's size).")
    String imageShape;

    @Option(names = "--target", paramLabel = "COLUMN", description = "With --train-csv: the file is a table with a header line; "
            + "COLUMN is what to predict, every other column a numeric feature (standardised with the training set's mean and std).")
    String target;

    @Option(names = "--task", paramLabel = "classification|regression", description = "What --target is: classes (its distinct values, "
            + "the default) or a number (mse loss; RMSE, MAE and R² reported).")
    String task;

    @Option(names = "--train-dir", paramLabel = "DIR", description = "Training images in folders: one sub-folder of PNG/JPEG files per class; "
            + "the sorted folder names are the classes, saved as the model's class labels.")
    Path trainDir;

    @Option(names = "--test-dir", paramLabel = "DIR", description = "Test images in folders named after the training classes, as --train-dir.")
    Path testDir;

    @Option(names = "--color", paramLabel = "grey|rgb", description = "Read --train-dir images as grey (1 channel, the default) or rgb "
            + "(3 channels: [N, 3, H, W] for a CNN).")
    String color;

    @Option(names = "--text", paramLabel = "FILE", description = "Train a character language model (--arch charlstm) on a UTF-8 text file; "
            + "its distinct characters are the vocabulary, saved in the model for 'tinynn generate'.")
    Path text;

    @Option(names = "--seq-len", paramLabel = "T", description = "Characters per training sequence of --text (backpropagation through time over T steps; default: "
            + DEFAULT_SEQ_LEN + ").")
    Integer seqLen;

    @Option(names = "--classes", paramLabel = "N", description = "Number of classes of IDX/CSV data (default: largest label + 1).")
    Integer classes;

    @Option(names = "--class-labels", paramLabel = "A,B,...", split = ",", description = "Class names, saved in the model for predict.")
    List<String> classLabels;

    @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training examples only.")
    Integer limit;

    @Option(names = "--arch", paramLabel = "mlp|lenet5|lstm|charlstm|FILE", defaultValue = "mlp", description = "Network: mlp, lenet5 (a CNN; Adam lr 0.001, "
            + "batch 128 unless given), lstm (LSTM(128) over image rows, Adam lr 0.001, batch 128), charlstm (character LSTM language model for --text; "
            + "the default with --text), or a model spec file in protobuf text format (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--hidden", paramLabel = "N,N,...", split = ",", description = "Hidden layer sizes of the mlp (default: 400,100), or "
            + "the sizes of charlstm's stacked LSTMs (default: 256).")
    List<Integer> hidden;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu", description = "Between the hidden layers: relu, leaky_relu, prelu, elu, selu, gelu, silu, mish, softplus, sigmoid, hard_sigmoid, tanh, softmax or log_softmax, with default attributes; set others in an --arch spec (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "20", description = "Train until this many epochs are done, counting resumed ones (default: ${DEFAULT-VALUE}, or the resumed run's).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Mini-batch size (default: 128, or the resumed run's).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: PyTorch's for the optimizer, e.g. 0.001 for adam, 0.01 for sgd).")
    Double lr;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, rmsprop, adagrad, adadelta, adam, adamw, nadam, radam or lion "
            + "(default: adam; other hyper-parameters in a model spec's training.optimizer).")
    String optimizer;

    @Option(names = "--clip-norm", paramLabel = "N", description = "Scale the gradients so that their global L2 norm is at most N (default: off).")
    Double clipNorm;

    @Option(names = "--clip-value", paramLabel = "V", description = "Clamp each gradient element to [-V, V] (default: off).")
    Double clipValue;

    @Option(names = "--weight-decay", paramLabel = "W", description = "Weight decay (default: 0).")
    Double weightDecay;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default: 0).")
    Double momentum;

    @Option(names = "--schedule", paramLabel = "NAME", description = "Learning-rate schedule: step, multi_step, exponential, linear, cosine, "
            + "cosine_restarts, one_cycle, cyclic or reduce_on_plateau (see docs/catalogue-schedules.md; default: none).")
    String schedule;

    @Option(names = "--schedule-args", paramLabel = "K=V,...", split = ",", description = "The schedule's attributes, e.g. t_max=20,eta_min=0; "
            + "multi_step's milestones as milestones=30:60:90.")
    Map<String, String> scheduleArgs;

    @Option(names = "--warmup", paramLabel = "STEPS", description = "Linear learning-rate warm-up over the first STEPS optimizer steps (default: 0).")
    Long warmup;

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

    @Option(names = "--init-from", paramLabel = "FILE", description = "Start from this model's layers and weights (an .onnx file, imported, "
            + "or a .tnn file) with a fresh optimizer: fine-tuning. The architecture comes from the file.")
    Path initFrom;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", description = "auto (a bar on a terminal, lines otherwise), bar, lines or none (default: ${DEFAULT-VALUE}).")
    Progress.Mode progressMode;

    // Training control: validation, early stopping, best model, log and plot (docs/catalogue-training.md).

    @Option(names = "--val-split", paramLabel = "F", description = "Hold out this fraction of the training examples (chosen with the seed) "
            + "for validation; its loss and accuracy are shown and recorded each epoch. The test set is untouched.")
    Double valSplit;

    @Option(names = "--early-stop", paramLabel = "PATIENCE", description = "Stop after PATIENCE epochs without improvement of --monitor.")
    Integer earlyStop;

    @Option(names = "--monitor", paramLabel = "METRIC", description = "What --early-stop and --save-best follow: val_loss, val_acc, test_loss, "
            + "test_acc or train_loss (default: val_loss with --val-split, else test_loss with a test set, else train_loss).")
    String monitor;

    @Option(names = "--min-delta", paramLabel = "D", description = "An epoch improves on the best only by more than this (default: 0).")
    Double minDelta;

    @Option(names = "--save-best", paramLabel = "FILE", description = "Also write the model of the best epoch by --monitor to FILE.")
    Path saveBest;

    @Option(names = "--log", paramLabel = "FILE", description = "Write one row per epoch to FILE.csv or FILE.jsonl (losses, accuracies, lr, seconds).")
    Path log;

    @Option(names = "--plot", paramLabel = "FILE", description = "Draw the loss and accuracy curves to FILE.svg or FILE.png after each epoch.")
    Path plot;

    ParameterException usage(String msg) { return new ParameterException(spec.commandLine(), msg); }

    boolean given(String option) { return spec.commandLine().getParseResult().hasMatchedOption(option); }

    /** The options that need no data source or model file. */
    void validate() {
        if (epochs < 1) throw usage("--epochs must be at least 1, got " + epochs);
        if (threads != null && threads < 1) throw usage("--threads must be at least 1, got " + threads);
        if (lr != null && !(lr > 0)) throw usage("--lr must be positive, got " + lr);
        if (limit != null && limit < 1) throw usage("--limit must be at least 1, got " + limit);
        if (classes != null && (classes < 2 || classes > 256)) throw usage("--classes must be 2..256, got " + classes);
        if (batchSize != null && batchSize < 1) throw usage("--batch-size must be at least 1, got " + batchSize);
        if (optimizer != null && !Optimizers.names().contains(optimizer)) {
            throw usage("--optimizer: unknown optimizer '" + optimizer + "'; use " + String.join(", ", Optimizers.names()));
        }
        if (momentum != null && optimizer != null && !optimizer.equals("sgd") && !optimizer.equals("rmsprop")) {
            throw usage("--momentum applies to --optimizer sgd or rmsprop only");
        }
        if (clipNorm != null && !(clipNorm > 0)) throw usage("--clip-norm must be positive, got " + clipNorm);
        if (clipValue != null && !(clipValue > 0)) throw usage("--clip-value must be positive, got " + clipValue);
        if (scheduleArgs != null && schedule == null) throw usage("--schedule-args needs --schedule");
        if (warmup != null && warmup < 0) throw usage("--warmup must be at least 0, got " + warmup);
        if (text != null && !given("--arch")) arch = "charlstm";
        if (arch.equals("charlstm") && given("--activation")) throw usage("--activation applies to --arch mlp only; charlstm defines its own layers");
        if (!arch.equals("mlp") && !arch.equals("charlstm") && (hidden != null || given("--activation"))) {
            throw usage("--hidden and --activation apply to --arch mlp only; " + arch + " defines its own layers");
        }
        if (seqLen != null && seqLen < 1) throw usage("--seq-len must be at least 1, got " + seqLen);
        if (target != null && (arch.equals("lenet5") || arch.equals("lstm") || arch.equals("charlstm"))) {
            throw usage("--arch " + arch + " reads images or text; a --target table trains an mlp or a spec file's network");
        }
        if (text != null) {
            if (Architectures.isBuiltIn(arch) && !arch.equals("charlstm")) {
                throw usage("--arch " + arch + " classifies images; --text trains --arch charlstm or a spec file whose first layer is an embedding");
            }
            for (String opt : List.of("--classes", "--class-labels", "--limit", "--image-shape")) {
                if (given(opt)) throw usage(opt + " applies to image data, not --text");
            }
        } else {
            if (seqLen != null) throw usage("--seq-len applies to --text only");
            if (arch.equals("charlstm") && resume == null) throw usage("--arch charlstm is a character language model: pass --text FILE");
        }
        validateControl();
    }

    /** The training-control options (checked again once a spec or a resumed model has filled them in). */
    void validateControl() {
        if (valSplit != null && !(valSplit > 0 && valSplit < 1)) throw usage("--val-split must be between 0 and 1 (exclusive), got " + valSplit);
        if (earlyStop != null && earlyStop < 1) throw usage("--early-stop must be at least 1, got " + earlyStop);
        if (minDelta != null && !(minDelta >= 0)) throw usage("--min-delta must be >= 0, got " + minDelta);
        if (monitor != null) {
            try {
                tinynn.runtime.train.Monitor.Metric.named(monitor);
            } catch (IllegalArgumentException e) {
                throw usage("--monitor: " + e.getMessage());
            }
        }
        try {
            if (log != null) tinynn.cli.report.EpochLog.format(log);
            if (plot != null) tinynn.cli.report.Plot.png(plot);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * The training-control options recorded in a resumed model or given in a spec's training.control,
     * for each not given on the command line.
     */
    void adopt(TrainingControl c) {
        if (c == null) return;
        if (valSplit == null && c.valSplit() > 0) valSplit = c.valSplit();
        if (earlyStop == null && c.earlyStop() > 0) earlyStop = c.earlyStop();
        if (monitor == null) monitor = c.monitor();
        if (minDelta == null && c.minDelta() > 0) minDelta = c.minDelta();
        if (saveBest == null && c.saveBest() != null) saveBest = Path.of(c.saveBest());
        if (log == null && c.log() != null) log = Path.of(c.log());
        if (plot == null && c.plot() != null) plot = Path.of(c.plot());
    }

    /** The training-control options as a model file records them. */
    TrainingControl control() {
        return new TrainingControl(valSplit != null ? valSplit : 0, earlyStop != null ? earlyStop : 0, monitor,
                minDelta != null ? minDelta : 0, absolute(saveBest), absolute(log), absolute(plot));
    }

    /** The data options; for --resume, once the recorded ones have filled in those not given. */
    void validateSource() {
        int sources = (data != null ? 1 : 0) + (trainImages != null || trainLabels != null ? 1 : 0) + (trainCsv != null ? 1 : 0)
                + (text != null ? 1 : 0) + (trainDir != null ? 1 : 0);
        if (sources > 1) throw usage("choose one training data source: --data, --train-images/--train-labels, --train-csv, --train-dir or --text");
        if ((trainImages == null) != (trainLabels == null)) throw usage("--train-images and --train-labels go together");
        if ((testImages == null) != (testLabels == null)) throw usage("--test-images and --test-labels go together");
        if (testImages != null && trainImages == null) throw usage("--test-images needs --train-images/--train-labels");
        if (testCsv != null && trainCsv == null) throw usage("--test-csv needs --train-csv");
        if (imageShape != null && trainCsv == null && trainDir == null) throw usage("--image-shape applies to --train-csv and --train-dir data only");
        if (testDir != null && trainDir == null) throw usage("--test-dir needs --train-dir");
        if (color != null && trainDir == null) throw usage("--color applies to --train-dir images only");
        if (color != null && !color.equals("grey") && !color.equals("rgb")) throw usage("--color: '" + color + "' is not grey or rgb");
        if (target != null && trainCsv == null) throw usage("--target applies to --train-csv tables only");
        if (task != null && target == null && resume == null) throw usage("--task needs --target COLUMN");
        if (task != null && !task.equals("classification") && !task.equals("regression")) {
            throw usage("--task: '" + task + "' is not classification or regression");
        }
        if (target != null && imageShape != null) throw usage("--image-shape applies to images, not a --target table");
        if (sources == 0 && resume == null) throw usage(NO_DATA);
        if (data != null) checkDataSet(data);
    }

    void checkDataSet(String name) {
        try {
            DatasetSpec.named(name);
        } catch (DataException e) {
            throw usage("--data: " + e.getMessage());
        }
    }

    /** The element type --dtype names. */
    DType elementType() {
        return switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f32" -> DType.F32;
            case "f64" -> DType.F64;
            default -> throw usage("--dtype: '" + dtype + "' is not f32 or f64");
        };
    }

    /** Channels of --train-dir images: 3 for --color rgb, else 1. */
    int channels() { return "rgb".equals(color) ? 3 : 1; }

    /** --image-shape as rows and columns. */
    int[] imageShape() {
        try {
            return Datasets.parseShape(imageShape, "--image-shape");
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * --resume: the run's --epochs, data source, --classes and --limit as recorded, for each not given
     * again. A new training source (--data, --train-images or --train-csv) replaces the whole recorded one.
     */
    void reuse(TrainingRun run) {
        if (run == null) return;
        if (!given("--epochs") && run.epochs() > 0) epochs = run.epochs();
        if (classes == null && run.classes() > 0) classes = run.classes();
        if (limit == null && run.limit() > 0) limit = run.limit();
        if (data != null || trainImages != null || trainLabels != null || trainCsv != null || trainDir != null) return;
        if (run.dataset() != null) {
            data = run.dataset();
            if (dataDir == null) dataDir = recordedPath(run.dataDir(), "--data-dir");
            return;
        }
        trainImages = recordedPath(run.trainImages(), "--train-images");
        trainLabels = recordedPath(run.trainLabels(), "--train-labels");
        trainCsv = recordedPath(run.trainCsv(), "--train-csv");
        if (testImages == null && testLabels == null && testCsv == null) {
            testImages = recordedPath(run.testImages(), "--test-images");
            testLabels = recordedPath(run.testLabels(), "--test-labels");
            testCsv = recordedPath(run.testCsv(), "--test-csv");
        }
        if (imageShape == null && trainCsv != null && run.imageRows() > 0) imageShape = run.imageRows() + "x" + run.imageCols();
    }

    /**
     * --resume of a --train-dir run (which {@link TrainingRun} does not record): its folders and colour as the model's
     * metadata keeps them, unless a training source is given again.
     */
    void reuseFolders(Map<String, String> metadata) {
        if (data != null || trainImages != null || trainCsv != null || trainDir != null || metadata.get(ModelInfo.TRAIN_DIR) == null) return;
        trainDir = recordedPath(metadata.get(ModelInfo.TRAIN_DIR), "--train-dir");
        if (testDir == null) testDir = recordedPath(metadata.get(ModelInfo.TEST_DIR), "--test-dir");
        if (color == null && "3".equals(metadata.get(ModelInfo.IMAGE_CHANNELS))) color = "rgb";
    }

    /**
     * A resumed --text run's text file as the model's metadata records it, unless a training source is given again:
     * for tinynn-spark's --resume-checkpoint, whose data options must name a source before the text is read.
     */
    void reuseText(Map<String, String> metadata) {
        if (data != null || trainImages != null || trainCsv != null || trainDir != null || text != null) return;
        text = recordedPath(metadata.get(ModelInfo.TEXT_FILE), "--text");
    }

    /** The run as a model file records it, for a later --resume. */
    TrainingRun record() {
        int[] shape = imageShape != null ? imageShape() : new int[] {0, 0};
        return new TrainingRun(epochs, data, data != null ? absolute(dataDir) : null,
                absolute(trainImages), absolute(trainLabels), absolute(testImages), absolute(testLabels),
                absolute(trainCsv), absolute(testCsv), shape[0], shape[1],
                classes != null ? classes : 0, limit != null ? limit : 0);
    }

    /** A recorded file or directory that must still exist; the error names the option that replaces it. */
    private Path recordedPath(String s, String option) {
        if (s == null) return null;
        Path p = Path.of(s);
        if (!Files.exists(p)) {
            throw new Failure(p + ": no longer exists (recorded in " + (resume != null ? resume : "the checkpoint") + " as " + option + "); pass " + option
                    + " with its new location");
        }
        return p;
    }

    private static String absolute(Path p) {
        return p == null ? null : p.toAbsolutePath().normalize().toString();
    }
}
